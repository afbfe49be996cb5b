import { histogram } from '../results/stats.js';
import type { TimelinePoint } from '../results/run-result.js';
import { esc } from './format.js';

const WIDTH = 720;
const PAD = { left: 64, right: 16, top: 12, bottom: 44 };
const COLOURS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756', '#72b7b2', '#9d755d', '#eeca3b'];
/** More dots than this per row and the strip shows an even sample of the sorted latencies instead. */
export const STRIP_MAX_DOTS = 1000;

/** A short number for a tick or a tooltip: 4000, 12.5, 0.25. */
const round = (value: number): string => {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return digits === 0 ? value.toFixed(0) : value.toFixed(digits).replace(/\.?0+$/, '');
};

/** Four ticks from 0 to max, on round numbers. */
function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const step = 10 ** Math.floor(Math.log10(max / 4));
  const nice = [1, 2, 2.5, 5, 10].map((factor) => factor * step).find((candidate) => max / candidate <= 5) ?? max / 4;
  return Array.from({ length: Math.floor(max / nice) + 1 }, (_, index) => index * nice);
}

const LEGEND_LINE = 16;

interface Frame {
  height: number;
  /** Room below the axes (a legend). */
  extra?: number;
  label: string;
  xLabel: string;
  yLabel?: string;
  body: string[];
}

function frame({ height, extra = 0, label, xLabel, yLabel, body }: Frame): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height + extra}" width="${WIDTH}" height="${height + extra}" role="img" aria-label="${esc(label)}">`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${height - PAD.bottom}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${height - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${height - PAD.bottom}" stroke="#888"/>`,
    `<text x="${(WIDTH + PAD.left) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`,
    yLabel
      ? `<text x="14" y="${(height - PAD.bottom + PAD.top) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(height - PAD.bottom + PAD.top) / 2})">${esc(yLabel)}</text>`
      : '',
    ...body,
    '</svg>',
  ]
    .filter(Boolean)
    .join('\n');
}

const plotWidth = WIDTH - PAD.left - PAD.right;
const xAt = (value: number, max: number): number => PAD.left + (max > 0 ? (value / max) * plotWidth : 0);

function xAxis(max: number, height: number): string[] {
  return ticks(max).map(
    (tick) =>
      `<line x1="${xAt(tick, max).toFixed(1)}" y1="${height - PAD.bottom}" x2="${xAt(tick, max).toFixed(1)}" y2="${height - PAD.bottom + 4}" stroke="#888"/><text x="${xAt(tick, max).toFixed(1)}" y="${height - PAD.bottom + 16}" text-anchor="middle" font-size="11">${round(tick)}</text>`,
  );
}

function yAxis(max: number, height: number): string[] {
  const plotHeight = height - PAD.top - PAD.bottom;
  return ticks(max).map((tick) => {
    const y = (height - PAD.bottom - (max > 0 ? (tick / max) * plotHeight : 0)).toFixed(1);
    return `<line x1="${PAD.left - 4}" y1="${y}" x2="${WIDTH - PAD.right}" y2="${y}" stroke="#eee"/><text x="${PAD.left - 8}" y="${y}" dy="4" text-anchor="end" font-size="11">${round(tick)}</text>`;
  });
}

const empty = (label: string, xLabel: string): string =>
  frame({ height: 80, label, xLabel, body: [`<text x="${WIDTH / 2}" y="36" text-anchor="middle" font-size="12" fill="#666">no data</text>`] });

/** End-to-end latency histogram (20 equal-width bins). */
export function latencyHistogramSvg(samplesMs: readonly number[]): string {
  const label = 'End-to-end latency histogram';
  const bins = histogram(samplesMs, 20);
  if (bins.length === 0) return empty(label, 'end-to-end latency (ms)');
  const height = 240;
  const plotHeight = height - PAD.top - PAD.bottom;
  const yMax = Math.max(...bins.map((bin) => bin.count));
  const xMax = bins[bins.length - 1].to;
  const bars = bins.map((bin) => {
    const barHeight = (bin.count / yMax) * plotHeight;
    const x = xAt(bin.from, xMax);
    return `<rect class="mark" x="${x.toFixed(1)}" y="${(height - PAD.bottom - barHeight).toFixed(1)}" width="${Math.max(1, xAt(bin.to, xMax) - x - 1).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="#4c78a8"><title>${Math.round(bin.from)}–${Math.round(bin.to)} ms: ${bin.count} workflows</title></rect>`;
  });
  return frame({ height, label, xLabel: 'end-to-end latency (ms)', yLabel: 'workflows', body: [...yAxis(yMax, height), ...xAxis(xMax, height), ...bars] });
}

/** Evenly spaced picks of the sorted samples, so that 5,000 workflows draw as many dots as the eye can tell apart. */
export function stripSample(samples: readonly number[], max = STRIP_MAX_DOTS): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length <= max) return sorted;
  return Array.from({ length: max }, (_, index) => sorted[Math.round((index * (sorted.length - 1)) / (max - 1))]);
}

/** One row per test, one dot per workflow at its end-to-end latency: says something with 5 workflows and with 5,000. */
export function latencyStripSvg(rows: readonly { label: string; samplesMs: readonly number[] }[]): string {
  const label = 'End-to-end latency per workflow';
  const drawn = rows.filter((row) => row.samplesMs.length > 0);
  if (drawn.length === 0) return empty(label, 'end-to-end latency (ms)');
  const rowHeight = 34;
  const height = PAD.top + PAD.bottom + drawn.length * rowHeight;
  const xMax = Math.max(...drawn.flatMap((row) => row.samplesMs));
  const body = drawn.flatMap((row, index) => {
    const centre = PAD.top + index * rowHeight + rowHeight / 2;
    const dots = stripSample(row.samplesMs).map((value, dot) => {
      const jitter = ((dot * 7919) % 17) - 8;
      return `<circle class="mark" cx="${xAt(value, xMax).toFixed(1)}" cy="${(centre + jitter * 0.8).toFixed(1)}" r="3" fill="${COLOURS[index % COLOURS.length]}" fill-opacity="0.55"><title>${esc(row.label)}: ${Math.round(value)} ms</title></circle>`;
    });
    return [
      `<text x="${PAD.left + 6}" y="${PAD.top + index * rowHeight + 11}" font-size="11" fill="#333">${esc(row.label)} (${row.samplesMs.length})</text>`,
      ...dots,
    ];
  });
  return frame({ height, label, xLabel: 'end-to-end latency (ms), one dot per workflow', body: [...xAxis(xMax, height), ...body] });
}

/** Workflows closed per second (completed stacked with failed), over the test's timeline. */
export function throughputSvg(label: string, timeline: readonly TimelinePoint[]): string {
  if (timeline.length === 0) return empty(label, 'seconds since the first start');
  const height = 200;
  const plotHeight = height - PAD.top - PAD.bottom;
  const yMax = Math.max(1, ...timeline.map((point) => point.completed + point.failed));
  const seconds = Math.max(...timeline.map((point) => point.second)) + 1;
  const barWidth = plotWidth / seconds;
  const bars = timeline.flatMap((point) => {
    const x = xAt(point.second, seconds).toFixed(1);
    const ok = (point.completed / yMax) * plotHeight;
    const bad = (point.failed / yMax) * plotHeight;
    const width = Math.max(1, barWidth - 1).toFixed(1);
    return [
      point.completed
        ? `<rect class="mark" x="${x}" y="${(height - PAD.bottom - ok).toFixed(1)}" width="${width}" height="${ok.toFixed(1)}" fill="#54a24b"><title>${point.second} s: ${point.completed} completed</title></rect>`
        : '',
      point.failed
        ? `<rect class="mark" x="${x}" y="${(height - PAD.bottom - ok - bad).toFixed(1)}" width="${width}" height="${bad.toFixed(1)}" fill="#e45756"><title>${point.second} s: ${point.failed} failed</title></rect>`
        : '',
    ];
  });
  return frame({ height, label, xLabel: 'seconds since the first start', yLabel: 'workflows closed / s', body: [...yAxis(yMax, height), ...xAxis(seconds, height), ...bars.filter(Boolean)] });
}

export interface TrendSeries {
  name: string;
  /** One value per run, in run order; undefined where the run has none. */
  values: readonly (number | undefined)[];
}

/**
 * Values across runs, one line per series; runs listed in `marked` (another contract, worker or machine than the
 * latest run) are drawn as hollow squares with the reason in their tooltip.
 */
export function trendSvg(label: string, yLabel: string, runs: readonly string[], series: readonly TrendSeries[], marked: ReadonlyMap<number, string>): string {
  const values = series.flatMap((line) => line.values.filter((value): value is number => value !== undefined));
  if (runs.length === 0 || values.length === 0) return empty(label, 'runs, oldest first');
  const height = 220;
  const plotHeight = height - PAD.top - PAD.bottom;
  const yMax = Math.max(...values) || 1;
  const xOf = (index: number) => PAD.left + (runs.length === 1 ? plotWidth / 2 : (index / (runs.length - 1)) * plotWidth);
  const yOf = (value: number) => height - PAD.bottom - (value / yMax) * plotHeight;
  const lines = series.flatMap((line, seriesIndex) => {
    const colour = COLOURS[seriesIndex % COLOURS.length];
    const points = line.values.flatMap((value, index) => (value === undefined ? [] : [{ index, value }]));
    const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${xOf(point.index).toFixed(1)},${yOf(point.value).toFixed(1)}`).join(' ');
    return [
      points.length > 1 ? `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>` : '',
      ...points.map((point) => {
        const note = marked.get(point.index);
        const title = `<title>${esc(`${line.name}, run ${runs[point.index]}: ${round(point.value)}${note ? ` (${note})` : ''}`)}</title>`;
        const x = xOf(point.index);
        const y = yOf(point.value);
        return note
          ? `<rect class="mark" x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" fill="#fff" stroke="${colour}" stroke-width="2">${title}</rect>`
          : `<circle class="mark" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${colour}">${title}</circle>`;
      }),
    ];
  });
  // The legend sits under the chart, one series per line, so that long test names never overlap.
  const legend = series.map(
    (line, index) =>
      `<g><rect x="${PAD.left}" y="${height + 6 + index * LEGEND_LINE}" width="10" height="10" fill="${COLOURS[index % COLOURS.length]}"/><text x="${PAD.left + 16}" y="${height + 15 + index * LEGEND_LINE}" font-size="11">${esc(line.name)}</text></g>`,
  );
  const runLabels = runs.map((_run, index) =>
    runs.length <= 12 || index % Math.ceil(runs.length / 12) === 0
      ? `<text x="${xOf(index).toFixed(1)}" y="${height - PAD.bottom + 16}" text-anchor="middle" font-size="10">${index + 1}</text>`
      : '',
  );
  return frame({
    height,
    extra: 8 + series.length * LEGEND_LINE,
    label,
    xLabel: 'runs, oldest first (hollow squares: another contract, worker or machine)',
    yLabel,
    body: [...yAxis(yMax, height), ...runLabels.filter(Boolean), ...lines.filter(Boolean), ...legend],
  });
}
