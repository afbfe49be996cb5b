import type { ReportSummary } from '../reports/latest-summary.js';
import { workflowsLine } from './workflow-counts.js';

/** `apex report` for people: per phase its decision, tests, workflow figures, issues, recommendation and INDEX.md. */
export function renderReportSummaries(reports: readonly ReportSummary[]): string[] {
  return reports.flatMap((report) => {
    const s = report.summary;
    const latency = [s.endToEndMs?.p50, s.endToEndMs?.p95, s.endToEndMs?.p99].map((v) => (v === undefined ? 'n/a' : `${Math.round(v)} ms`)).join(' / ');
    return [
      `${report.decision === 'proceed' ? '✅' : '❌'} ${report.title} (${report.startedAt}, run ${report.runId})`,
      `   tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`,
      ...report.tests.map((test) => `     ${test.status.padEnd(7)} ${test.name}${test.reason ? `: ${test.reason}` : ''}`),
      `   workflows: ${workflowsLine(s)}; ${s.throughputWorkflowsPerSecond.toFixed(2)} wf/s; ${s.stateTransitionsPerSecond.toFixed(1)} transitions/s; P50/P95/P99 ${latency}`,
      ...report.issues.map((issue) => `   issue: ${issue}`),
      `   ${report.recommendation}`,
      `   ${report.dir}/INDEX.md`,
      `   ${report.dir}/report.html`,
    ];
  });
}
