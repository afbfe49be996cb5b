import { distribution, ratePerSecond } from '../results/stats.js';
import type { PhaseSummary, TestResult } from '../results/run-result.js';

/**
 * Phase totals over the tests that ran. Workflows a test makes fail on purpose are counted apart: the success rate
 * is over the workflows expected to succeed; throughput counts every workflow that ended as its test expects.
 */
export function summarisePhase(tests: readonly TestResult[]): PhaseSummary {
  const ran = tests.filter((test) => test.status !== 'skipped');
  const sum = (pick: (test: TestResult) => number) => ran.reduce((total, test) => total + pick(test), 0);
  const asExpected = (test: TestResult) => Math.round(test.metrics.successRate * test.metrics.workflowsPlanned);
  const failing = (test: TestResult) => test.metrics.expectedFailures > 0;
  const durationMs = sum((test) => test.metrics.durationMs);
  const succeeded = sum((test) => (failing(test) ? 0 : asExpected(test)));
  const failedAsExpected = sum((test) => (failing(test) ? asExpected(test) : 0));
  const expectedToSucceed = sum((test) => test.metrics.workflowsPlanned - test.metrics.expectedFailures);
  const transitions = sum((test) => test.metrics.stateTransitions);
  const started = sum((test) => test.metrics.workflowsStarted);
  return {
    passed: tests.filter((test) => test.status === 'passed').length,
    failed: tests.filter((test) => test.status === 'failed').length,
    skipped: tests.filter((test) => test.status === 'skipped').length,
    total: tests.length,
    workflowsExecuted: started,
    workflowsSucceeded: succeeded,
    workflowsExpectedToFail: sum((test) => test.metrics.expectedFailures),
    workflowsFailedAsExpected: failedAsExpected,
    throughputWorkflowsPerSecond: ratePerSecond(succeeded + failedAsExpected, durationMs),
    stateTransitionsPerSecond: ratePerSecond(transitions, durationMs),
    transitionsPerWorkflow: started > 0 ? transitions / started : 0,
    successRate: expectedToSucceed > 0 ? succeeded / expectedToSucceed : 0,
    endToEndMs: distribution(ran.flatMap((test) => test.metrics.endToEndSamplesMs)),
    schedulingMs: distribution(ran.flatMap((test) => test.metrics.schedulingSamplesMs)),
  };
}
