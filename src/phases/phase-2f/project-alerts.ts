import type { AlertDrive } from '../../contracts/schema.js';
import { traceAlertFiring, traceAlertResolution, type AlertTrace, type ResolutionTrace } from '../../observability/alert-delivery.js';
import type { LiveStack } from '../../observability/live-stack.js';
import type { CheckOutcome } from '../../observability/metric-checks.js';
import type { Check } from '../../results/run-result.js';
import { pollUntil } from '../../runtime/poll.js';
import { abortedOutcome, noWorkflowMetrics, test, type TestOutcome } from '../observability-tests.js';
import type { PhaseContext } from '../phase-context.js';
import { testStatus, type Assessment, type Expectation } from '../verification.js';
import { verifyWorkload } from '../workload-test.js';
import { runWorkload, type WorkloadSpec } from '../workload.js';
import { alertingOf, onlyWhen, projectRules, type Alerting } from './alerting.js';
import { deliveryChecks, resolutionChecks } from './delivery-checks.js';
import { liveAlertRunOf } from './live-alert-run.js';
import { expectedReceivers } from './rule-sources.js';
import type { Phase2fThresholds } from './settings.js';

/** What makes each kind of drive fire its alert, in the words of the checks. */
const CAUSES: Record<AlertDrive['provoke'], string> = {
  failures: 'after workflows whose store write fails were started',
  idle: 'after workflows stopped',
};

const seconds = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/** Why the contract's alerts cannot be driven here, or undefined. */
function undrivable(ctx: PhaseContext): string | undefined {
  const rules = projectRules(ctx);
  if (rules) return rules;
  const drives = ctx.contract.alerts?.drive ?? [];
  if (drives.length === 0) return 'the worker contract lists no alert to drive (`alerts.drive`)';
  if (drives.some((drive) => drive.provoke === 'failures')) {
    if (!ctx.contract.faults) return 'a `failures` drive needs a way to make a store write fail (add `faults` to the contract)';
    if (ctx.contract.faults.kind === 'in-process' && !ctx.faults)
      return 'fault injection needs the in-process worker (--external-worker cannot be told to fail)';
  }
  return undefined;
}

/** Many verified workloads as one check, with the evidence of those that did not hold. */
function verifiedAs(label: string, assessments: readonly Assessment[]): CheckOutcome {
  const checks = assessments.flatMap((assessment) => assessment.checks);
  const failed = checks.filter((check) => !check.passed);
  const workflows = assessments.reduce((sum, assessment) => sum + assessment.metrics.workflowsPlanned, 0);
  return {
    checks: [
      {
        name: `${label}: workflows verified in the stores`,
        expected: 'every check holds',
        actual:
          failed.length === 0
            ? `${workflows} workflows, ${checks.length} checks hold`
            : `${failed.length} of ${checks.length} checks failed: ${failed[0].name}`,
        passed: workflows > 0 && failed.length === 0,
      },
    ],
    evidence: assessments.flatMap((assessment) => assessment.evidence),
  };
}

/** Starts one workload and verifies it as 2D does (passing runs are cleaned up). */
async function verifiedRun(ctx: PhaseContext, spec: WorkloadSpec, expectation: Expectation): Promise<Assessment> {
  return verifyWorkload(ctx, await runWorkload(ctx, spec), expectation);
}

/** Successful workflows, one at a time at about `reliefRatePerSecond`, until stopped: the alert's cause is gone. */
function relieve(ctx: PhaseContext, t: Phase2fThresholds, label: string): { stop(): Promise<Assessment[]> } {
  let stopped = false;
  const verified: Promise<Assessment>[] = [];
  const loop = (async () => {
    for (let batch = 1; !stopped; batch++) {
      const started = ctx.clock.now();
      const run = await runWorkload(ctx, {
        label: `${label}-${batch}`,
        count: 1,
        model: { kind: 'closed', concurrency: 1 },
        timeoutSeconds: t.workflowTimeoutSeconds,
      });
      verified.push(verifyWorkload(ctx, run, { minSuccessRate: 1 }));
      await ctx.clock.sleep(Math.max(0, 1000 / t.reliefRatePerSecond - (ctx.clock.now() - started)));
    }
  })();
  loop.catch(() => undefined);
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return Promise.all(verified);
    },
  };
}

/** The headline of one drive: how long the alert took to fire and to resolve. */
function timesCheck(fired: AlertTrace, resolved: ResolutionTrace): Check {
  return {
    name: `${fired.alertname} fired and resolved`,
    expected: 'fires, then resolves',
    actual: `fired after ${seconds(fired.prometheusMs)} (notified ${seconds(fired.notifiedMs)}), resolved after ${seconds(resolved.prometheusMs)} (notified ${seconds(resolved.notifiedMs)})`,
    passed: fired.notifiedMs !== undefined && resolved.notifiedMs !== undefined,
  };
}

/**
 * Provokes one alert as its drive says, follows it to the webhook, then lets successful workflows flow and follows
 * it back to resolved. Times run from the cause (the first failing workflow started, the last workflow ended) and
 * from the relief (successful workflows again).
 */
async function driveAlert(
  ctx: PhaseContext,
  t: Phase2fThresholds,
  alerting: Alerting,
  live: LiveStack,
  drive: AlertDrive,
  index: number,
): Promise<CheckOutcome & { provoked: Assessment[] }> {
  const path = { ...live, clock: ctx.clock };
  const label = `alert${index + 1}`;
  const shared = { timeoutSeconds: t.workflowTimeoutSeconds };
  const provoked: Assessment[] = [];
  let since: number;
  let provoking: Promise<void> = Promise.resolve();
  if (drive.provoke === 'failures') {
    since = ctx.clock.now();
    provoking = verifiedRun(
      ctx,
      {
        ...shared,
        label: `${label}-failures`,
        count: t.failingWorkflows,
        model: { kind: 'open', ratePerSecond: t.failingRatePerSecond },
        failingStore: drive.store,
      },
      { minSuccessRate: 1, compensated: true },
    ).then((assessment) => void provoked.push(assessment));
  } else {
    // Throughput first, so that there is something to stop.
    provoked.push(
      await verifiedRun(
        ctx,
        { ...shared, label: `${label}-before-idle`, count: t.idleBaselineWorkflows, model: { kind: 'closed', concurrency: 1 } },
        { minSuccessRate: 1 },
      ),
    );
    since = ctx.clock.now();
  }
  // Awaited once the alert fired; a failure before then must not go unhandled.
  provoking.catch(() => undefined);
  const fired = await traceAlertFiring(path, drive.alert, { since, timeoutMs: t.fireTimeoutSeconds * 1000 });
  liveAlertRunOf(ctx.environment).traces.push(fired);
  await provoking;
  const relief = relieve(ctx, t, `${label}-relief`);
  const relievedAt = ctx.clock.now();
  const resolved: ResolutionTrace =
    fired.prometheusMs === undefined
      ? { alertname: drive.alert, notifiedReceivers: [], readErrors: [] }
      : await traceAlertResolution(path, drive.alert, { since: relievedAt, timeoutMs: t.resolveTimeoutSeconds * 1000 });
  const relieved = await relief.stop();
  const episode = { before: 'before the relief', provoked: CAUSES[drive.provoke], relieved: 'after successful workflows flowed again' };
  const parts = [
    { checks: [timesCheck(fired, resolved)], evidence: [] },
    deliveryChecks(fired, undefined, await expectedReceivers(alerting, drive.alert)),
    resolutionChecks(fired, resolved, t.resolveTimeoutSeconds, live.webhook.received(), episode),
    verifiedAs(`${drive.alert} provoked (${drive.provoke})`, provoked),
    verifiedAs(`${drive.alert} relief`, relieved),
  ];
  return { checks: parts.flatMap((part) => part.checks), evidence: parts.flatMap((part) => part.evidence), provoked };
}

/** The live test of a project's own rules: the contract's alerts, driven with the worker under test. */
export const projectAlertTests = [
  onlyWhen(
    undrivable,
    test<Phase2fThresholds>(
      'test_project_alerts_fire_and_resolve',
      "Drives every alert the contract lists (`alerts.drive`) with the worker under test, one after the other: `failures` starts workflows whose store write fails (the contract's `faults`), `idle` stops starting any. Each alert must fire, reach Alertmanager and the webhook at the receiver the routing tree names, then resolve once successful workflows flow again; each one's time to fire and to resolve is reported.",
      async (ctx, t): Promise<TestOutcome> => {
        const alerting = alertingOf(ctx.environment);
        let live: LiveStack;
        try {
          live = await alerting.live();
          const up = await pollUntil(async () => ((await live.prometheus.targets()).every((target) => target.health === 'up') ? true : undefined), {
            timeoutMs: 30_000,
            intervalMs: 500,
            clock: ctx.clock,
          });
          if (!up) throw new Error(`Prometheus could not scrape ${alerting.metricsUrl ?? 'the worker'} within 30 s`);
        } catch (error) {
          return abortedOutcome(`${ctx.runId}-alerts`, 'The observability stack did not start', error);
        }
        const outcome: CheckOutcome = { checks: [], evidence: [] };
        const provoked: Assessment[] = [];
        const drives = ctx.contract.alerts?.drive ?? [];
        for (const [index, drive] of drives.entries()) {
          const driven = await driveAlert(ctx, t, alerting, live, drive, index);
          outcome.checks.push(...driven.checks);
          outcome.evidence.push(...driven.evidence);
          provoked.push(...driven.provoked);
        }
        return {
          ...testStatus(outcome.checks),
          runId: `${ctx.runId}-alerts`,
          checks: outcome.checks,
          evidence: outcome.evidence,
          // The report's workflow figures are those of the first workload that provoked an alert.
          metrics: provoked[0]?.metrics ?? noWorkflowMetrics(),
        };
      },
    ),
  ),
];
