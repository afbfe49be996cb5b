// Benchmarks print medians as ratios against a baseline measured in the same run, so that a slow or busy machine
// moves both sides: the ratio is what compares across runs, the milliseconds are for the goal.

/**
 * Runs `fn` `warmup` times unmeasured, then `runs` times; `before` prepares each run outside the measurement.
 * @param {string} name
 * @param {() => unknown} fn
 * @param {{ runs?: number, warmup?: number, before?: () => unknown }} [options]
 */
export async function measure(name, fn, { runs = 9, warmup = 1, before } = {}) {
  for (let i = 0; i < warmup; i++) {
    if (before) await before();
    await fn();
  }
  const samples = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return { name, runs, medianMs: percentile(samples, 50), p90Ms: percentile(samples, 90), samples };
}

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** One line per measurement: median, p90, ratio to the baseline, and the goal when there is one. */
export function report(baseline, rows, write = (line) => process.stdout.write(`${line}\n`)) {
  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  write(`baseline  ${baseline.name}: median ${fmt(baseline.medianMs)} (p90 ${fmt(baseline.p90Ms)}, n=${baseline.runs})`);
  for (const row of rows) {
    const ratio = row.medianMs / baseline.medianMs;
    const goal = row.goalMs === undefined ? '' : `  goal ≤ ${row.goalMs} ms: ${row.medianMs <= row.goalMs ? 'met' : 'MISSED'}`;
    write(`${row.name}: median ${fmt(row.medianMs)} (p90 ${fmt(row.p90Ms)}, n=${row.runs}) = ${ratio.toFixed(1)}× baseline${goal}`);
  }
  return rows.map((row) => ({ ...row, ratio: row.medianMs / baseline.medianMs, samples: undefined }));
}
