import { traceAlertFiring, type AlertTrace } from '../../observability/alert-delivery.js';
import type { LiveStack } from '../../observability/live-stack.js';
import { pollUntil } from '../../runtime/poll.js';
import type { PhaseContext, PhaseEnvironment } from '../phase-context.js';
import type { ObservabilitySession } from '../observability-session.js';
import { runAssessedWorkload, type AssessedRun } from '../observability-tests.js';
import { deliveryBudgetMs, type Phase2fThresholds } from './settings.js';

/** The worker killed under load, and WorkerDown traced from the kill to its notification. */
export interface WorkerDownEpisode {
  /** The workload started before the kill: it completes once a worker serves the queue again. */
  background: Promise<AssessedRun>;
  trace: AlertTrace;
  budgetMs: number;
}

/** What the live tests of one 2F run share. Opened with the run's environment, so no two runs share it. */
export interface LiveAlertRun {
  /** Caused once per run, by whichever live test needs it first. */
  workerDown?: Promise<WorkerDownEpisode>;
  /** Every alert a live test caused and traced in this run. */
  traces: AlertTrace[];
}

interface LiveAlertEnvironment extends PhaseEnvironment {
  liveAlerts: LiveAlertRun;
}

export const withLiveAlertRun = (environment: PhaseEnvironment): LiveAlertEnvironment => ({ ...environment, liveAlerts: { traces: [] } });

export function liveAlertRunOf(environment: PhaseEnvironment): LiveAlertRun {
  if (!('liveAlerts' in environment)) throw new Error('this phase environment has no live alert run (open it with withLiveAlertRun)');
  return (environment as LiveAlertEnvironment).liveAlerts;
}

/**
 * The run's worker-down episode, caused now if no test caused it yet: the test that checks the alert resolves
 * then checks the same thing whether or not the test that fires it ran before it.
 */
export function workerDown(ctx: PhaseContext, t: Phase2fThresholds, session: ObservabilitySession, live: LiveStack): Promise<WorkerDownEpisode> {
  const run = liveAlertRunOf(ctx.environment);
  run.workerDown ??= killWorkerUnderLoad(ctx, t, session, live, run);
  return run.workerDown;
}

async function killWorkerUnderLoad(
  ctx: PhaseContext,
  t: Phase2fThresholds,
  session: ObservabilitySession,
  live: LiveStack,
  run: LiveAlertRun,
): Promise<WorkerDownEpisode> {
  const worker = await session.worker();
  await pollUntil(async () => ((await live.prometheus.targets()).every((target) => target.health === 'up') ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 500,
    clock: ctx.clock,
  });
  const background = runAssessedWorkload(
    ctx,
    {
      label: 'under-load',
      count: t.backgroundWorkflows,
      model: { kind: 'open', ratePerSecond: t.backgroundRatePerSecond },
      taskQueue: session.taskQueue,
      timeoutSeconds: t.workflowTimeoutSeconds,
    },
    false,
  );
  // Awaited by the test that restarts the worker; a run without that test must not crash on its rejection.
  background.catch(() => undefined);
  // Let some workflows run before the crash, so the worker dies with work in flight.
  await ctx.clock.sleep(Math.min(3_000, (t.backgroundWorkflows / t.backgroundRatePerSecond) * 250));
  const since = ctx.clock.now();
  await worker.kill();
  const budgetMs = deliveryBudgetMs(t);
  const trace = await traceAlertFiring({ ...live, clock: ctx.clock }, 'WorkerDown', { since, timeoutMs: budgetMs + 20_000 });
  run.traces.push(trace);
  return { background, trace, budgetMs };
}
