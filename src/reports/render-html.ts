import type { PhaseRunResult } from '../results/run-result.js';
import { ms, percentiles, rate, statusIcon } from './format.js';
import { latencyHistogramSvg, throughputSvg } from './svg-charts.js';

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** report.html: one self-contained page, no scripts, charts as inline SVG. */
export function renderHtml(result: PhaseRunResult): string {
  const { summary } = result;
  const samples = result.tests.flatMap((test) => test.metrics.endToEndSamplesMs);
  const rows = result.tests.map((test) => {
    const m = test.metrics;
    return `<tr><td>${esc(test.name)}</td><td>${statusIcon[test.status]} ${test.status}</td><td>${m.workflowsCompleted}/${m.workflowsPlanned}</td><td>${rate(m.throughputWorkflowsPerSecond)}</td><td>${percentiles(m.endToEndMs)}</td><td>${esc(test.reason ?? '')}</td></tr>`;
  });
  const charts = result.tests.filter((test) => test.metrics.timeline.length > 0).map((test) => `<figure>${throughputSvg(`Throughput over time: ${test.name}`, test.metrics.timeline)}<figcaption>${esc(test.name)}</figcaption></figure>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(result.title)} — ${esc(result.runId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;font-size:14px}figure{margin:1rem 0}.proceed{color:#2a7a2a}.blocked{color:#b22}</style>
</head><body>
<h1>${esc(result.title)}</h1>
<p>Run <code>${esc(result.runId)}</code>, ${esc(result.startedAt)}. Decision: <strong class="${result.decision}">${result.decision.toUpperCase()}</strong> — ${esc(result.recommendation)}</p>
<table><tr><th>Tests</th><td>${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped</td></tr>
<tr><th>Workflows</th><td>${summary.workflowsSucceeded}/${summary.workflowsExecuted} successful</td></tr>
<tr><th>Throughput</th><td>${rate(summary.throughputWorkflowsPerSecond)}; ${rate(summary.stateTransitionsPerSecond, 'state transitions/s')}</td></tr>
<tr><th>Latency</th><td>avg ${ms(summary.endToEndMs?.mean)}; P50/P95/P99 ${percentiles(summary.endToEndMs)}</td></tr></table>
<h2>Tests</h2>
<table><tr><th>Test</th><th>Status</th><th>Workflows</th><th>Throughput</th><th>P50/P95/P99</th><th>Reason</th></tr>
${rows.join('\n')}
</table>
<h2>Latency</h2>
<figure>${latencyHistogramSvg(samples)}<figcaption>End-to-end latency from intended start, all tests (${samples.length} workflows)</figcaption></figure>
<h2>Throughput over time</h2>
${charts.join('\n') || '<p>No workflow closed.</p>'}
</body></html>
`;
}
