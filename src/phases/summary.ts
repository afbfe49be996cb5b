import { distribution, ratePerSecond } from '../results/stats.js';
import type { PhaseSummary, TestResult } from '../results/run-result.js';

/** Phase totals over the tests that ran; throughput is total successes over the summed test windows. */
export function summarisePhase(tests: readonly TestResult[]): PhaseSummary {
  const ran = tests.filter((test) => test.status !== 'skipped');
  const sum = (pick: (test: TestResult) => number) => ran.reduce((total, test) => total + pick(test), 0);
  const durationMs = sum((test) => test.metrics.durationMs);
  const succeeded = sum((test) => Math.round(test.metrics.successRate * test.metrics.workflowsPlanned));
  const planned = sum((test) => test.metrics.workflowsPlanned);
  const transitions = sum((test) => test.metrics.stateTransitions);
  const started = sum((test) => test.metrics.workflowsStarted);
  return {
    passed: tests.filter((test) => test.status === 'passed').length,
    failed: tests.filter((test) => test.status === 'failed').length,
    skipped: tests.filter((test) => test.status === 'skipped').length,
    total: tests.length,
    workflowsExecuted: started,
    workflowsSucceeded: succeeded,
    throughputWorkflowsPerSecond: ratePerSecond(succeeded, durationMs),
    stateTransitionsPerSecond: ratePerSecond(transitions, durationMs),
    transitionsPerWorkflow: started > 0 ? transitions / started : 0,
    successRate: planned > 0 ? succeeded / planned : 0,
    endToEndMs: distribution(ran.flatMap((test) => test.metrics.endToEndSamplesMs)),
    schedulingMs: distribution(ran.flatMap((test) => test.metrics.schedulingSamplesMs)),
  };
}
