/**
 * Starts work by one of two load models, and hands each job its INTENDED start time, so that latency is
 * measured from when the job should have started: a stalled generator cannot hide its stalls
 * (no coordinated omission).
 */

export type LoadModel =
  /** A fixed number of jobs in flight: a new one starts when one finishes. */
  | { kind: 'closed'; concurrency: number }
  /** A target start rate, whatever the jobs' latency. */
  | { kind: 'open'; ratePerSecond: number };

export interface LoadPlan {
  model: LoadModel;
  /** Stop after this many jobs... */
  count?: number;
  /** ...or once this much time has passed since the first start, whichever comes first. */
  durationMs?: number;
  /** ...or once this aborts (the phase was interrupted): no job starts after it. */
  signal?: AbortSignal;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export type Job = (index: number, intendedStart: number) => Promise<void>;

export interface LoadSummary {
  started: number;
  firstIntendedStart: number;
  /** How late the generator started jobs against their schedule (open model); 0 for closed. */
  maxStartLagMs: number;
}

export async function generateLoad(plan: LoadPlan, clock: Clock, job: Job): Promise<LoadSummary> {
  if (plan.count === undefined && plan.durationMs === undefined) throw new Error('a load plan needs a count or a duration');
  const origin = clock.now();
  const limit = plan.count ?? Number.POSITIVE_INFINITY;
  const timeLeft = (at: number) => !plan.signal?.aborted && (plan.durationMs === undefined || at - origin < plan.durationMs);
  let next = 0;
  let maxStartLagMs = 0;
  if (plan.model.kind === 'closed') {
    const slot = async (): Promise<void> => {
      for (;;) {
        const intended = clock.now();
        if (next >= limit || !timeLeft(intended)) return;
        await job(next++, intended);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, plan.model.concurrency) }, slot));
    return { started: next, firstIntendedStart: origin, maxStartLagMs };
  }
  const intervalMs = 1000 / plan.model.ratePerSecond;
  const running: Promise<void>[] = [];
  for (; next < limit; next++) {
    const intended = origin + next * intervalMs;
    if (!timeLeft(intended)) break;
    const wait = intended - clock.now();
    if (wait > 0) await clock.sleep(wait);
    if (plan.signal?.aborted) break;
    maxStartLagMs = Math.max(maxStartLagMs, clock.now() - intended);
    running.push(job(next, intended));
  }
  await Promise.all(running);
  return { started: next, firstIntendedStart: origin, maxStartLagMs };
}
