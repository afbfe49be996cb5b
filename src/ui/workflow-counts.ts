import type { PhaseSummary } from '../results/run-result.js';

/** One line on the workflows, with the ones made to fail on purpose counted apart. */
export function workflowsLine(summary: PhaseSummary): string {
  const expectedToSucceed = summary.workflowsExecuted - summary.workflowsExpectedToFail;
  const apart =
    summary.workflowsExpectedToFail > 0
      ? `; ${summary.workflowsFailedAsExpected}/${summary.workflowsExpectedToFail} made to fail on purpose failed as expected`
      : '';
  return `${summary.workflowsSucceeded}/${expectedToSucceed} workflows successful${apart}`;
}
