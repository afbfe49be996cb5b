import { traceAlertFiring, traceAlertResolution } from '../../observability/alert-delivery.js';
import type { CheckOutcome } from '../../observability/metric-checks.js';
import { RULE_EVIDENCE } from '../../observability/rule-checks.js';
import { checksOutcome, labelled, noWorkflowMetrics, runAssessedWorkload, test, unsupportedDocument, withLiveStack } from '../observability-tests.js';
import { testStatus } from '../verification.js';
import { deliveryChecks, resolutionChecks } from './delivery-checks.js';
import { alertingOf, apexRules, onlyWhen } from './alerting.js';
import { liveAlertRunOf, workerDown } from './live-alert-run.js';
import { expectedReceivers } from './rule-sources.js';
import { deliveryBudgetMs, type Phase2fThresholds } from './settings.js';

/** The tests that cause real alerts on the phase's own Prometheus and Alertmanager, and follow them to the webhook. */
export const liveAlertTests = [
  onlyWhen(
    apexRules,
    test<Phase2fThresholds>(
      'test_worker_down_alert_fires',
      'Under load, kills the worker process: WorkerDown must fire, reach Alertmanager within its `for` + scrape interval (+ slack) and be delivered to the receiver the routing tree names.',
      (ctx, t) =>
        withLiveStack(ctx, 'worker-down', async (session, live) => {
          const episode = await workerDown(ctx, t, session, live);
          return checksOutcome(
            `${ctx.runId}-worker-down`,
            deliveryChecks(episode.trace, episode.budgetMs, await expectedReceivers(alertingOf(ctx.environment), 'WorkerDown')),
          );
        }),
    ),
  ),
  onlyWhen(
    apexRules,
    test<Phase2fThresholds>(
      'test_worker_down_alert_resolves',
      'Restarts the worker killed under load (killing it first when no test did): WorkerDown must stop firing and a "resolved" notification arrive; every workflow started under load must then complete.',
      (ctx, t) =>
        withLiveStack(
          ctx,
          'worker-back',
          async (session, live) => {
            const episode = await workerDown(ctx, t, session, live);
            const since = ctx.clock.now();
            // Traced while the worker starts: Prometheus sees it up as soon as its metrics endpoint serves.
            const [, trace] = await Promise.all([
              session.worker(),
              traceAlertResolution({ ...live, clock: ctx.clock }, 'WorkerDown', { since, timeoutMs: t.resolveTimeoutSeconds * 1000 }),
            ]);
            const resolved = resolutionChecks(episode.trace, trace, t.resolveTimeoutSeconds, live.webhook.received());
            const background = await episode.background;
            const completed = labelled('workflows started under load', background.assessment);
            const checks = [...resolved.checks, ...completed.checks];
            return {
              ...testStatus(checks),
              runId: background.run.runId,
              checks,
              evidence: [...resolved.evidence, ...completed.evidence],
              metrics: completed.metrics,
            };
          },
          { startWorker: false },
        ),
    ),
  ),
  onlyWhen(
    apexRules,
    test<Phase2fThresholds>(
      'test_failure_rate_alert_fires',
      'Injects failures (workflows fed a document no parser accepts) after a few successful ones: HighWorkflowFailureRate must fire and be delivered to the receiver the routing tree names.',
      (ctx, t) =>
        withLiveStack(ctx, 'failure-rate', async (session, live) => {
          await session.worker();
          const shared = { taskQueue: session.taskQueue, timeoutSeconds: t.workflowTimeoutSeconds };
          const ok =
            t.successfulWorkflows > 0
              ? await runAssessedWorkload(
                  ctx,
                  { ...shared, label: 'before-failures', count: t.successfulWorkflows, model: { kind: 'closed', concurrency: 3 } },
                  false,
                )
              : undefined;
          const since = ctx.clock.now();
          const failing = runAssessedWorkload(
            ctx,
            {
              ...shared,
              label: 'failures',
              count: t.failingWorkflows,
              model: { kind: 'open', ratePerSecond: t.failingRatePerSecond },
              document: unsupportedDocument,
            },
            true,
          );
          const budgetMs = (t.failingWorkflows / t.failingRatePerSecond) * 1000 + deliveryBudgetMs(t);
          const trace = await traceAlertFiring({ ...live, clock: ctx.clock }, 'HighWorkflowFailureRate', { since, timeoutMs: budgetMs + 20_000 });
          liveAlertRunOf(ctx.environment).traces.push(trace);
          const failed = await failing;
          const parts = [
            deliveryChecks(trace, undefined, await expectedReceivers(alertingOf(ctx.environment), 'HighWorkflowFailureRate')),
            ...(ok ? [labelled('successful first', ok.assessment)] : []),
            labelled('failing by design', failed.assessment),
          ];
          const checks = parts.flatMap((part) => part.checks);
          return {
            ...testStatus(checks),
            runId: failed.run.runId,
            checks,
            evidence: parts.flatMap((part) => part.evidence),
            metrics: failed.assessment.metrics,
          };
        }),
    ),
  ),
  onlyWhen(
    apexRules,
    test<Phase2fThresholds>(
      'test_alerts_routed_to_expected_receivers',
      'Every notification the webhook received during the phase came through the receiver the routing tree names for that alert, and none through the catch-all.',
      (ctx, t) =>
        withLiveStack(ctx, 'routing', async (_session, live) => {
          const traced = liveAlertRunOf(ctx.environment).traces.map((trace) => trace.alertname);
          if (traced.length === 0) {
            const reason = 'no live test caused an alert in this run: run it with test_worker_down_alert_fires or test_failure_rate_alert_fires';
            return { status: 'skipped', reason, runId: `${ctx.runId}-routing-live`, checks: [], evidence: [], metrics: noWorkflowMetrics() };
          }
          const received = live.webhook.received();
          const outcome: CheckOutcome = { checks: [], evidence: [] };
          for (const alertname of [...new Set(received.map((alert) => alert.alertname))]) {
            const expected = await expectedReceivers(alertingOf(ctx.environment), alertname);
            const got = [...new Set(received.filter((alert) => alert.alertname === alertname).map((alert) => alert.receiver))];
            const passed = !got.includes(t.defaultReceiver) && (expected.length === 0 || got.every((receiver) => expected.includes(receiver)));
            outcome.checks.push({
              name: `${alertname} receivers`,
              expected: expected.join(', ') || `not ${t.defaultReceiver}`,
              actual: got.join(', '),
              passed,
            });
            if (!passed)
              outcome.evidence.push({
                source: 'verification',
                summary: `${RULE_EVIDENCE.routing}: ${alertname}`,
                lines: [`received by ${got.join(', ')}; routing tree says ${expected.join(', ') || '(unknown)'}`],
                workflows: 0,
              });
          }
          outcome.checks.push({
            name: 'alerts the live tests caused were delivered',
            expected: traced.join(', '),
            actual: [...new Set(received.map((alert) => alert.alertname))].join(', ') || 'none',
            passed: traced.every((name) => received.some((alert) => alert.alertname === name)),
          });
          return checksOutcome(`${ctx.runId}-routing-live`, outcome);
        }),
    ),
  ),
];
