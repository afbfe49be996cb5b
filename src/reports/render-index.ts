import { SEARCH_ATTRIBUTE_NAMES } from '../config/search-attributes.js';
import type { Interruption, PhaseRunResult, TestResult } from '../results/run-result.js';
import { describeRunData } from './run-data.js';
import { cell, ms, percent, percentiles, rate, seconds, statusIcon } from './format.js';
import { standInLines, standInOf, storeOfCheck } from './verification-view.js';
import { workflowsLine } from '../ui/workflow-counts.js';

const share = (count: number, total: number): string => `${count}/${total}${total > 0 ? ` = ${Math.round((count * 100) / total)}%` : ''}`;

function testBlock(result: PhaseRunResult, test: TestResult): string[] {
  const m = test.metrics;
  const lines = [`**${statusIcon[test.status]} ${test.name}**`, `- ${test.description}`];
  if (test.status === 'skipped') return [...lines, `- Skipped: ${test.reason ?? 'no reason given'}`, ''];
  lines.push(`- Workflows: ${m.workflowsCompleted} completed, ${m.workflowsFailed} failed, ${m.workflowsNotRun} not run (of ${m.workflowsPlanned}); run id \`${test.runId}\``);
  if (m.workflowsStarted > 0) lines.push(`- ${rate(m.throughputWorkflowsPerSecond)}; end-to-end P50/P95/P99 ${percentiles(m.endToEndMs)}; retries ${m.activityRetries}`);
  for (const check of test.checks.filter((check) => test.status === 'failed' ? !check.passed : true)) {
    const standIn = standInOf(result, storeOfCheck(check));
    lines.push(`- ${check.passed ? '✓' : '✗'} ${check.name}: expected ${check.expected}, actual ${check.actual}${standIn ? ` (stand-in: ${standIn})` : ''}`);
  }
  if (test.status === 'failed' && test.reason && test.checks.length === 0) lines.push(`- Reason: ${test.reason}`);
  if (test.status === 'failed') lines.push('- Cause and fix: see ISSUES.md');
  return [...lines, ''];
}

const INTERRUPTED: Record<Interruption['reason'], (interrupted: Interruption) => string> = {
  'store-unreachable': (interrupted) => `${interrupted.store ?? 'a service'} stopped answering`,
  'stack-down': () => 'the stack went down',
  signal: () => 'stopped by a signal',
};

function statusLine(result: PhaseRunResult): string {
  const { summary, interrupted } = result;
  if (interrupted) return `⛔ **INTERRUPTED** (${INTERRUPTED[interrupted.reason](interrupted)} ${seconds(interrupted.atMs)} into the run; see ISSUES.md)`;
  if (result.decision === 'proceed') return `✅ **PASSED** (${summary.passed}/${summary.total} tests${summary.skipped ? `, ${summary.skipped} skipped` : ''})`;
  if (summary.workflowsExecuted === 0) return `❌ **FAILED** (no workflow ran: nothing was validated)`;
  return `❌ **FAILED** (${summary.failed} of ${summary.total} tests failed)`;
}

/** INDEX.md in the shape of the team's phase reports: summary, breakdown, metrics, decision. */
const WORKER_KINDS: Record<PhaseRunResult['environment']['worker'], string> = {
  'in-process': "in-process (apex's reference worker)",
  external: 'external (already polling the queue)',
  started: "started by apex from the contract's worker command",
};

export function renderIndex(result: PhaseRunResult): string {
  const { summary } = result;
  const byStatus = (status: TestResult['status']) => result.tests.filter((test) => test.status === status);
  const e2e = summary.endToEndMs;
  const out = [
    `# ${result.title}`,
    '',
    `**Date:** ${result.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`,
    `**Run:** \`${result.runId}\``,
    `**Duration:** ${seconds(result.durationMs)}`,
    `**Status:** ${statusLine(result)}`,
    '',
    '---',
    '',
    '## Quick Summary',
    '',
    '**Result:**',
    `- ✅ ${summary.passed}/${summary.total} tests passing`,
    `- ❌ ${summary.failed} failing`,
    `- ⏭️ ${summary.skipped} skipped`,
    '',
    '**Performance:**',
    `- ${workflowsLine(summary)}`,
    `- ${rate(summary.throughputWorkflowsPerSecond)} (${rate(summary.stateTransitionsPerSecond, 'state transitions/s')}, ${summary.transitionsPerWorkflow.toFixed(1)} per workflow)`,
    `- ${ms(e2e?.mean)} average end-to-end latency, P99 ${ms(e2e?.p99)}`,
    '',
    `**Recommendation:** ${result.recommendation}`,
    '',
    '---',
    '',
    '## Test Breakdown',
    '',
  ];
  const sections: [TestResult['status'], string][] = [['passed', 'Passing Tests'], ['failed', 'Failing Tests'], ['skipped', 'Skipped Tests']];
  for (const [status, heading] of sections) {
    const tests = byStatus(status);
    out.push(`### ${heading} (${share(tests.length, summary.total)})`, '');
    if (tests.length === 0) out.push('None.', '');
    for (const test of tests) out.push(...testBlock(result, test));
  }
  if (result.setupEvidence.length > 0) {
    out.push('### Setup problems', '', ...result.setupEvidence.map((evidence) => `- **${evidence.summary}**: ${evidence.lines[0] ?? ''}`), '');
  }
  out.push(
    '---',
    '',
    '## Metrics',
    '',
    '| Metric | Value |',
    '|--------|-------|',
    `| Tests Passing | ${summary.passed}/${summary.total} |`,
    `| Tests Failing | ${summary.failed} |`,
    `| Tests Skipped | ${summary.skipped} |`,
    `| **Workflows Executed** | **${summary.workflowsExecuted}** (${workflowsLine(summary)}) |`,
    `| **Throughput** | **${rate(summary.throughputWorkflowsPerSecond)}** |`,
    `| State Transitions | ${rate(summary.stateTransitionsPerSecond, 'per second')} (${summary.transitionsPerWorkflow.toFixed(1)} per workflow) |`,
    `| **Avg Latency** | **${ms(e2e?.mean)}** |`,
    `| P50 / P95 / P99 Latency | ${percentiles(e2e)} |`,
    `| Scheduling P50 / P95 / P99 | ${percentiles(summary.schedulingMs)} |`,
    `| Success Rate | ${percent(summary.successRate)} of the workflows expected to succeed |`,
    '',
    '| Test | Status | Workflows as expected | Throughput | P50 / P95 / P99 | Transitions/s | Retries |',
    '|------|--------|-----------------------|------------|-----------------|---------------|---------|',
    ...result.tests.map((test) => {
      const m = test.metrics;
      return `| ${test.name} | ${statusIcon[test.status]} ${test.status} | ${Math.round(m.successRate * m.workflowsPlanned)}/${m.workflowsPlanned} | ${rate(m.throughputWorkflowsPerSecond)} | ${percentiles(m.endToEndMs)} | ${m.stateTransitionsPerSecond.toFixed(1)} | ${m.activityRetries} |`;
    }),
    '',
    'Latency is measured from each workflow\'s intended start (no coordinated omission) to its close event in the history.',
    '',
    '---',
    '',
    '## Environment',
    '',
    '| | |',
    '|-|-|',
    `| Temporal | ${cell(result.environment.temporalAddress)}, namespace \`${result.environment.namespace}\` |`,
    `| Workflow | \`${result.environment.workflowType}\` on task queue \`${result.environment.taskQueue}\` |`,
    `| Worker contract | \`${cell(result.environment.contract)}\`; worker ${WORKER_KINDS[result.environment.worker]} |`,
    `| Verified | ${cell(result.environment.verifies || 'workflow results and histories')} |`,
    `| Embeddings | ${cell(result.environment.embeddings)} |`,
    ...standInLines(result).map((line) => `| **Stand-in** | ${cell(line)} |`),
    `| Options | local CPU steps ${result.options.localCpuSteps ? 'on' : 'off'}, local store writes ${result.options.localStoreWrites ? 'on' : 'off'}, eager start ${result.options.eagerStart ? 'on' : 'off'}${result.options.workflows ? `, --workflows ${result.options.workflows}` : ''}${result.options.concurrency ? `, --concurrency ${result.options.concurrency}` : ''}${result.options.durationSeconds ? `, --duration ${result.options.durationSeconds}s` : ''} |`,
    `| Search attributes | ${result.environment.searchAttributes ? SEARCH_ATTRIBUTE_NAMES.join(', ') : 'not registered in the namespace'} |`,
    `| apex | ${result.environment.apexVersion}, Node ${result.environment.node}${result.environment.machine ? `, ${cell(result.environment.machine)}` : ''} |`,
    ...(result.data ? [`| Data of the run | ${cell(describeRunData(result.data, result.runId))} |`] : []),
    '',
    '---',
    '',
    '## Decision',
    '',
    `**Status:** ${statusLine(result)}`,
    '',
    `**Recommendation:** ${result.decision === 'proceed' ? '✅' : '❌'} ${result.recommendation}`,
    '',
    result.diagnoses.length > 0 ? `**Issues:** ${result.diagnoses.map((diagnosis) => diagnosis.title).join('; ')} (see ISSUES.md).` : '**Issues:** none.',
    '',
    '---',
    '',
    '## Files',
    '',
    '| File | Purpose |',
    '|------|---------|',
    '| INDEX.md | This file |',
    '| ISSUES.md | Every failure: symptom, evidence, cause, fix |',
    '| FIXES.md | Compared with the previous run of this phase |',
    '| results.json | The full result (schema: templates/schemas/results.schema.json) |',
    '| junit.xml | For CI test reporters |',
    '| report.html | The same, to look at: verification per store, latency per workflow, throughput over time |',
    '| ../../index.html | Every run of every phase, with trends |',
    '',
  );
  return out.join('\n');
}
