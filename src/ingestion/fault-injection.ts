import { ApplicationFailure } from '@temporalio/common';
import type { ActivityName } from '../results/ingestion-contract.js';

/** Faults a phase plans for one run: in-process workers only (a team's own worker cannot be told). */
export interface FaultPlan {
  /** The first N attempts of the activity fail with a retryable error, in every workflow of the run. */
  transient?: Partial<Record<ActivityName, number>>;
  /** The activity fails for good, in every workflow of the run. */
  permanent?: ActivityName[];
}

export interface FaultInjector {
  plan(runId: string, plan: FaultPlan): void;
  clear(runId: string): void;
  /** Throws the planned failure for this activity attempt, if any. */
  check(activity: ActivityName, runId: string, attempt: number): void;
}

export function createFaultInjector(): FaultInjector {
  const plans = new Map<string, FaultPlan>();
  return {
    plan: (runId, plan) => void plans.set(runId, plan),
    clear: (runId) => void plans.delete(runId),
    check(activity, runId, attempt) {
      const plan = plans.get(runId);
      if (!plan) return;
      if (plan.permanent?.includes(activity)) {
        throw ApplicationFailure.nonRetryable(`injected permanent failure in ${activity} (fault plan of run ${runId})`, 'InjectedPermanentFailure');
      }
      const failures = plan.transient?.[activity] ?? 0;
      if (attempt <= failures) {
        throw ApplicationFailure.retryable(`injected transient failure in ${activity}, attempt ${attempt} of ${failures} planned`, 'InjectedTransientFailure');
      }
    },
  };
}

/** The injector for workers that never inject: production and --external-worker. */
export const noFaults: FaultInjector = { plan: () => undefined, clear: () => undefined, check: () => undefined };
