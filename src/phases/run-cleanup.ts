import type { PhaseContext } from './phase-context.js';
import type { Check, FailureEvidence } from '../results/run-result.js';
import { describeStoreError } from './store-errors.js';
import { testStatus } from './verification.js';

interface Verdict {
  checks: Check[];
  evidence: FailureEvidence[];
}

/**
 * Removes what a passed run wrote (unless --keep-data). A removal that fails turns the verdict into a failure
 * with the store's reason: the run passed, but it left its rows behind.
 */
export async function removePassedRunData<T extends Verdict>(
  ctx: Pick<PhaseContext, 'keepData'>,
  runId: string,
  verdict: T,
  remove: () => Promise<void>,
): Promise<T> {
  if (ctx.keepData || testStatus(verdict.checks).status !== 'passed') return verdict;
  try {
    await remove();
    return verdict;
  } catch (error) {
    const reason = describeStoreError(error);
    return {
      ...verdict,
      checks: [
        ...verdict.checks,
        { name: `data of run ${runId} removed after it passed`, expected: 'removed', actual: `not removed: ${reason}`, passed: false },
      ],
      evidence: [...verdict.evidence, { source: 'store', summary: `run ${runId} passed, but its data could not be removed`, lines: [reason], workflows: 0 }],
    };
  }
}
