import type { PhaseRunResult } from '../results/run-result.js';
import { esc, percentiles, rate } from './format.js';
import { PAGE_STYLE, badge } from './render-html.js';
import { trendSvg, type TrendSeries } from './svg-charts.js';

/** One run folder under reports/: its result, or why it could not be read (listed, never fatal). */
export interface IndexedRun {
  phase: string;
  /** The run's folder, relative to the index. */
  href: string;
  result?: PhaseRunResult;
  /** RESULTS_VERSION (another apex version wrote it) or RESULTS_INVALID, with the message. */
  unreadable?: { code: string; message: string };
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const failedChecks = (result: PhaseRunResult): number => result.tests.reduce((total, test) => total + test.checks.filter((check) => !check.passed).length, 0);

/** How a run differs from the phase's latest one: another contract, worker or machine. */
function difference(run: PhaseRunResult, latest: PhaseRunResult): string | undefined {
  const differs = (['contract', 'worker', 'machine'] as const).filter((key) => run.environment[key] !== latest.environment[key]);
  return differs.length > 0 ? differs.map((key) => `${key} ${run.environment[key] || '(unknown)'}`).join(', ') : undefined;
}

function runRow(run: IndexedRun, note: string | undefined): string {
  const link = `<a href="${esc(run.href)}/report.html">${esc(run.href.split('/').pop() ?? run.href)}</a>`;
  if (!run.result) {
    const kind = run.unreadable?.code === 'RESULTS_VERSION' ? 'older' : 'invalid';
    return `<tr><td>${link}</td><td>${badge(kind)}</td><td colspan="6">${esc(run.unreadable?.message ?? 'unreadable')}</td></tr>`;
  }
  const { result } = run;
  const { summary } = result;
  return `<tr><td>${link}</td><td>${badge(result.decision)}</td><td class="num">${summary.passed}/${summary.failed}/${summary.skipped}</td><td class="num">${summary.workflowsSucceeded}/${summary.workflowsExecuted - summary.workflowsExpectedToFail}</td><td class="num">${rate(summary.throughputWorkflowsPerSecond)}</td><td class="num">${percentiles(summary.endToEndMs)}</td><td class="num">${failedChecks(result)}</td><td>${esc(result.environment.contract)}, ${esc(result.environment.worker)}${note ? ` <span class="badge standin" title="${esc(note)}">DIFFERS</span>` : ''}</td></tr>`;
}

function phaseSection(phase: string, runs: readonly IndexedRun[]): string {
  const readable = runs.flatMap((run) => (run.result ? [run.result] : []));
  const latest = readable.at(-1);
  const marked = new Map<number, string>();
  readable.forEach((result, index) => {
    const note = latest && difference(result, latest);
    if (note) marked.set(index, note);
  });
  const labels = readable.map((result) => result.runId);
  const testNames = [...new Set(readable.flatMap((result) => result.tests.map((test) => test.name)))];
  const perTest = (pick: (test: PhaseRunResult['tests'][number]) => number | undefined): TrendSeries[] =>
    testNames.map((name) => ({
      name,
      values: readable.map((result) => {
        const test = result.tests.find((candidate) => candidate.name === name && candidate.status !== 'skipped');
        return test ? pick(test) : undefined;
      }),
    }));
  const trends: { title: string; unit: string; series: TrendSeries[] }[] = [
    {
      title: 'Throughput per run',
      unit: 'workflows / s',
      series: [{ name: 'phase', values: readable.map((result) => result.summary.throughputWorkflowsPerSecond) }, ...perTest((test) => test.metrics.throughputWorkflowsPerSecond)],
    },
    {
      title: 'End-to-end latency per run: P50 and P99',
      unit: 'milliseconds',
      series: [
        { name: 'P50', values: readable.map((result) => result.summary.endToEndMs?.p50) },
        { name: 'P99', values: readable.map((result) => result.summary.endToEndMs?.p99) },
      ],
    },
    { title: 'P99 latency per test', unit: 'milliseconds', series: perTest((test) => test.metrics.endToEndMs?.p99) },
    {
      title: 'Failed checks per run',
      unit: 'failed checks',
      series: [{ name: 'phase', values: readable.map(failedChecks) }, ...perTest((test) => test.checks.filter((check) => !check.passed).length)],
    },
  ];
  const charts = readable.length
    ? trends.map(({ title, unit, series }) => `<h3>${esc(`${title} (phase ${phase})`)}</h3>\n<figure>${trendSvg(`${title} (phase ${phase})`, unit, labels, series, marked)}</figure>`)
    : ['<p>No run of this phase could be read.</p>'];
  const rows = runs.map((run) => runRow(run, run.result ? marked.get(readable.indexOf(run.result)) : undefined));
  return `<h2>Phase ${esc(phase)}</h2>
<table><tr><th>Run</th><th>Decision</th><th>Tests passed/failed/skipped</th><th>Workflows successful</th><th>Throughput</th><th>P50/P95/P99</th><th>Failed checks</th><th>Contract, worker</th></tr>
${[...rows].reverse().join('\n')}
</table>
${charts.join('\n')}`;
}

/** reports/index.html: every run of every phase, newest first, with trends across runs; self-contained. */
export function renderRunIndex(runs: readonly IndexedRun[]): string {
  const phases = [...new Set(runs.map((run) => run.phase))].sort();
  const unreadable = runs.filter((run) => !run.result).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>apex: every phase run</title>
<style>${PAGE_STYLE}</style>
</head><body>
<h1>apex: every phase run</h1>
<p>${plural(runs.length, 'run')} of ${plural(phases.length, 'phase')}${unreadable ? `, ${unreadable} whose results.json could not be read (listed as such)` : ''}. Runs on another contract, worker or machine than a phase's latest run are marked DIFFERS in the tables and drawn as hollow squares in the charts.</p>
${phases.map((phase) => phaseSection(phase, runs.filter((run) => run.phase === phase))).join('\n') || '<p>No reports yet: run a phase (`apex test phase 2c`).</p>'}
</body></html>
`;
}
