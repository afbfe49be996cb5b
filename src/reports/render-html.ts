import type { PhaseRunResult, TestResult } from '../results/run-result.js';
import { esc, ms, percentiles, rate } from './format.js';
import { STRIP_MAX_DOTS, latencyHistogramSvg, latencyStripSvg, throughputSvg } from './svg-charts.js';
import { checksByStore, standInLines } from './verification-view.js';
import { workflowsLine } from '../ui/workflow-counts.js';

/** Styled text, never an emoji: a plain Linux machine has no emoji font. */
export const badge = (status: string): string => `<span class="badge ${esc(status)}">${esc(status.toUpperCase())}</span>`;

/** The style every apex page shares: system fonts only, nothing fetched. */
export const PAGE_STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.4}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;font-size:14px;vertical-align:top}th{background:#f6f6f6}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;letter-spacing:.03em}
.passed,.proceed{background:#e3f3e6;color:#1d6b2f}.failed,.blocked,.invalid{background:#fbe4e4;color:#a11}.skipped,.older{background:#eee;color:#555}
.standin{background:#fff4d6;color:#7a5200}.note{border-left:4px solid #e0a800;background:#fffaeb;padding:.5rem .8rem;margin:.8rem 0}
details{margin:.4rem 0 .8rem}summary{cursor:pointer;font-weight:600}h3{margin:1.4rem 0 .3rem;font-size:16px}figure{margin:0 0 1rem}figcaption{font-size:13px;color:#555;margin:.2rem 0 .4rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.fail td{background:#fff5f5}`;

const storeCell = (store: string, standIn: string | undefined, rows: number): string =>
  `<th rowspan="${rows}">${esc(store)}${standIn ? `<br><span class="badge standin" title="${esc(standIn)}">STAND-IN</span>` : ''}</th>`;

/** Per store: what was expected and what was found, failing checks first. */
function verificationTable(result: PhaseRunResult, test: TestResult): string {
  if (test.status === 'skipped') return `<p>Skipped: ${esc(test.reason ?? 'no reason given')}</p>`;
  const groups = checksByStore(result, test);
  if (groups.length === 0) return `<p>No checks ran${test.reason ? `: ${esc(test.reason)}` : ''}.</p>`;
  const rows = groups.flatMap((group) =>
    group.checks.map(
      (check, index) =>
        `<tr class="${check.passed ? 'pass' : 'fail'}">${index === 0 ? storeCell(group.store, group.standIn, group.checks.length) : ''}<td>${esc(check.name.replace(`${group.store}: `, ''))}</td><td>${esc(check.expected)}</td><td>${esc(check.actual)}</td><td>${badge(check.passed ? 'passed' : 'failed')}</td></tr>`,
    ),
  );
  return `<table class="verification"><tr><th>Store</th><th>Check</th><th>Expected</th><th>Found</th><th>Result</th></tr>\n${rows.join('\n')}\n</table>`;
}

function testSection(result: PhaseRunResult, test: TestResult): string {
  const failed = test.checks.filter((check) => !check.passed).length;
  const counts = test.status === 'skipped' ? 'skipped' : `${test.checks.length - failed}/${test.checks.length} checks passed`;
  return `<details open><summary>${badge(test.status)} ${esc(test.name)}: ${counts}</summary>
<p>${esc(test.description)}${test.reason && test.status === 'failed' ? `<br><strong>Why it failed:</strong> ${esc(test.reason)} (cause and fix in ISSUES.md)` : ''}</p>
${verificationTable(result, test)}
</details>`;
}

const chart = (title: string, caption: string, svg: string): string => `<h3>${esc(title)}</h3>\n<figure><figcaption>${esc(caption)}</figcaption>${svg}</figure>`;

/** report.html: one self-contained page (no scripts, no fonts, no requests), charts as inline SVG. */
export function renderHtml(result: PhaseRunResult): string {
  const { summary, environment } = result;
  const ran = result.tests.filter((test) => test.status !== 'skipped');
  const samples = ran.flatMap((test) => test.metrics.endToEndSamplesMs);
  // Failed tests first: what needs attention opens the page.
  const ordered = [...result.tests].sort((a, b) => Number(b.status === 'failed') - Number(a.status === 'failed'));
  const rows = result.tests.map((test) => {
    const m = test.metrics;
    return `<tr><td>${esc(test.name)}</td><td>${badge(test.status)}</td><td class="num">${Math.round(m.successRate * m.workflowsPlanned)}/${m.workflowsPlanned}${m.expectedFailures ? ' (made to fail)' : ''}</td><td class="num">${rate(m.throughputWorkflowsPerSecond)}</td><td class="num">${percentiles(m.endToEndMs)}</td><td>${esc(test.reason ?? '')}</td></tr>`;
  });
  const largest = Math.max(0, ...ran.map((test) => test.metrics.endToEndSamplesMs.length));
  const throughput = ran
    .filter((test) => test.metrics.timeline.length > 0)
    .map((test) => chart(`Throughput over time: ${test.name}`, 'Workflows closed per second since the first start; green completed, red failed.', throughputSvg(`Throughput over time: ${test.name}`, test.metrics.timeline)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(result.title)}: ${esc(result.runId)}</title>
<style>${PAGE_STYLE}</style>
</head><body>
<h1>${esc(result.title)}</h1>
<p>${badge(result.decision)} ${esc(result.recommendation)}</p>
${standInLines(result)
  .map((line) => `<p class="note">${esc(line)}</p>`)
  .join('\n')}
<table>
<tr><th>Run</th><td><code>${esc(result.runId)}</code>, ${esc(result.startedAt)}, ${(result.durationMs / 1000).toFixed(1)} s</td></tr>
<tr><th>Worker contract</th><td><code>${esc(environment.contract)}</code>; worker ${esc(environment.worker)}; <code>${esc(environment.workflowType)}</code> on <code>${esc(environment.taskQueue)}</code></td></tr>
<tr><th>Verified</th><td>${esc(environment.verifies || 'workflow results and histories')}</td></tr>
<tr><th>Tests</th><td>${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped</td></tr>
<tr><th>Workflows</th><td>${esc(workflowsLine(summary))}</td></tr>
<tr><th>Throughput</th><td>${rate(summary.throughputWorkflowsPerSecond)}; ${rate(summary.stateTransitionsPerSecond, 'state transitions/s')}</td></tr>
<tr><th>Latency</th><td>avg ${ms(summary.endToEndMs?.mean)}; P50/P95/P99 ${percentiles(summary.endToEndMs)}</td></tr>
${environment.machine ? `<tr><th>Machine</th><td>${esc(environment.machine)}, apex ${esc(environment.apexVersion)}, Node ${esc(environment.node)}</td></tr>` : ''}
</table>
<h2>What was verified</h2>
${ordered.map((test) => testSection(result, test)).join('\n')}
<h2>Tests</h2>
<table><tr><th>Test</th><th>Status</th><th>Workflows as expected</th><th>Throughput</th><th>P50/P95/P99</th><th>Reason</th></tr>
${rows.join('\n')}
</table>
<h2>Latency</h2>
${chart(
  'End-to-end latency per workflow',
  `From each workflow's intended start to its close, one dot per workflow${largest > STRIP_MAX_DOTS ? ` (${STRIP_MAX_DOTS} evenly spaced over the sorted latencies of tests with more)` : ''}.`,
  latencyStripSvg(ran.map((test) => ({ label: test.name, samplesMs: test.metrics.endToEndSamplesMs }))),
)}
${chart('End-to-end latency histogram', `All tests, ${samples.length} workflows, 20 equal bins.`, latencyHistogramSvg(samples))}
<h2>Throughput over time</h2>
${throughput.join('\n') || '<p>No workflow closed.</p>'}
</body></html>
`;
}
