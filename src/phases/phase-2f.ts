import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { durationMs, durationSetting } from '../config/duration.js';
import { traceAlertFiring, traceAlertResolution, type AlertTrace } from '../observability/alert-delivery.js';
import { checkAlertmanagerConfig, receiversFor } from '../observability/amtool.js';
import { INSTALL_HINT } from '../observability/binaries.js';
import type { CheckOutcome } from '../observability/metric-checks.js';
import { SCRAPE_JOBS } from '../observability/metric-catalogue.js';
import { checkRules, testRules } from '../observability/promtool.js';
import { alertRulesIn, type AlertRule } from '../observability/rule-files.js';
import { checkRuleAnnotations, checkRuleExpressions, checkRuleRouting, checkRuleSyntax, checkRuleUnitTests, markdownAnchors, RULE_EVIDENCE } from '../observability/rule-checks.js';
import { readRuleTestFile, ruleTestCoverage } from '../observability/rule-tests.js';
import { pollUntil } from '../runtime/poll.js';
import type { Check, FailureEvidence } from '../results/run-result.js';
import type { PhaseDefinition } from './phase-definition.js';
import { phase2d } from './phase-2d.js';
import { observabilityOf, type ObservabilitySession } from './observability-session.js';
import { abortedOutcome, checksOutcome, labelled, openObservabilityEnvironment, withLiveStack, runAssessedWorkload, unsupportedDocument, type AssessedRun, test, type TestOutcome } from './observability-tests.js';
import { parseThresholds } from './thresholds.js';
import { testStatus } from './verification.js';

const duration = durationSetting(['ms', 's', 'm']);

/** Phase 2F settings (config `phases['2f']`). */
export const phase2fThresholds = z
  .object({
    /** Every alert's `for:` in the live test's rendering of the rules (the templates keep theirs). */
    testFor: duration.default('5s'),
    /** Scrape and rule evaluation interval of the live Prometheus. */
    interval: duration.default('1s'),
    /** Scrape interval and timeout of the Temporal server (its exposition is large: a short timeout on a busy machine reads as "down"). */
    serverScrapeInterval: duration.default('5s'),
    /** Alertmanager group_wait and group_interval in the live test. */
    notifyDelay: duration.default('1s'),
    /** Allowed on top of `for` + scrape interval for evaluation, Alertmanager and the webhook. */
    deliverySlackSeconds: z.number().nonnegative().default(5),
    resolveTimeoutSeconds: z.number().positive().default(45),
    /** Workflows started at this rate while the worker is stopped and restarted ("under load"). */
    backgroundRatePerSecond: z.number().positive().default(2),
    backgroundWorkflows: z.number().int().positive().default(20),
    /** Successful workflows before the failures, then workflows fed an unsupported document. */
    successfulWorkflows: z.number().int().nonnegative().default(6),
    failingWorkflows: z.number().int().positive().default(12),
    failingRatePerSecond: z.number().positive().default(2),
    workerReadySeconds: z.number().positive().default(60),
    workflowTimeoutSeconds: z.number().positive().default(180),
    /** The Alertmanager receiver every alert must avoid (the catch-all). */
    defaultReceiver: z.string().default('apex-default'),
  })
  .strict();
export type Phase2fThresholds = z.infer<typeof phase2fThresholds>;

const seconds = (value: string): number => durationMs(value) / 1000;

interface RuleSources {
  ruleFiles: string[];
  testFiles: string[];
  rules: AlertRule[];
  alertmanagerConfig: string;
  runbook: string;
}

function ruleSources(session: ObservabilitySession): RuleSources {
  const prometheusDir = join(session.templatesDir, 'prometheus');
  const list = (dir: string) => readdirSync(join(prometheusDir, dir)).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(prometheusDir, dir, name));
  const ruleFiles = list('rules');
  const rules: AlertRule[] = [];
  for (const file of ruleFiles) {
    try {
      rules.push(...alertRulesIn(file));
    } catch {
      // promtool check rules reports an unreadable file with its line; the rules it holds are simply unknown here.
    }
  }
  return { ruleFiles, testFiles: list('tests'), rules, alertmanagerConfig: join(session.templatesDir, 'alertmanager', 'alertmanager.yml'), runbook: join(prometheusDir, 'runbook.md') };
}

function toolsMissing(runId: string, tool: string): TestOutcome {
  return abortedOutcome(runId, `Prometheus tools missing: ${tool}`, new Error(`${tool} is not on PATH; install it: ${INSTALL_HINT}`));
}

const merge = (...outcomes: CheckOutcome[]): CheckOutcome => ({ checks: outcomes.flatMap((outcome) => outcome.checks), evidence: outcomes.flatMap((outcome) => outcome.evidence) });

/** What the live tests share inside one run: the background load and every alert traced so far. */
interface LiveRecord {
  background?: Promise<AssessedRun>;
  traces: AlertTrace[];
}
const liveRecords = new WeakMap<ObservabilitySession, LiveRecord>();
const liveRecord = (session: ObservabilitySession): LiveRecord => {
  const record = liveRecords.get(session) ?? { traces: [] };
  liveRecords.set(session, record);
  return record;
};

async function expectedReceivers(session: ObservabilitySession, alertname: string): Promise<string[]> {
  const sources = ruleSources(session);
  const rule = sources.rules.find((candidate) => candidate.alert === alertname);
  if (!rule || !session.tools.amtool) return [];
  return receiversFor(sources.alertmanagerConfig, { alertname, ...rule.labels }, { binary: session.tools.amtool });
}

/** Checks one traced alert: it fired, reached Alertmanager and the webhook within the budget, at the expected receiver. */
function deliveryChecks(trace: AlertTrace, budgetMs: number | undefined, expected: readonly string[]): CheckOutcome {
  const ms = (value: number | undefined) => (value === undefined ? 'never' : `${(value / 1000).toFixed(1)} s`);
  const within = (value: number | undefined) => value !== undefined && (budgetMs === undefined || value <= budgetMs);
  const limit = budgetMs === undefined ? 'fires' : `≤ ${(budgetMs / 1000).toFixed(1)} s`;
  const checks: Check[] = [
    { name: `${trace.alertname} firing in Prometheus`, expected: limit, actual: ms(trace.prometheusMs), passed: within(trace.prometheusMs) },
    { name: `${trace.alertname} active in Alertmanager`, expected: limit, actual: ms(trace.alertmanagerMs), passed: within(trace.alertmanagerMs) },
    { name: `${trace.alertname} notification received`, expected: limit, actual: ms(trace.notifiedMs), passed: trace.notifiedMs !== undefined },
    {
      name: `${trace.alertname} routed`,
      expected: expected.join(', ') || '(amtool unavailable: any receiver)',
      actual: trace.notifiedReceivers.join(', ') || 'no notification',
      passed: trace.notifiedReceivers.length > 0 && (expected.length === 0 || trace.notifiedReceivers.every((receiver) => expected.includes(receiver))),
    },
  ];
  const evidence: FailureEvidence[] = [];
  if (trace.prometheusMs === undefined) evidence.push({ source: 'verification', summary: `${RULE_EVIDENCE.neverFired}: ${trace.alertname}`, lines: [`Prometheus never reported ${trace.alertname} firing`], workflows: 0 });
  else if (trace.notifiedMs === undefined) evidence.push({ source: 'verification', summary: `${RULE_EVIDENCE.notDelivered}: ${trace.alertname}`, lines: [`firing after ${ms(trace.prometheusMs)}, in Alertmanager: ${ms(trace.alertmanagerMs)}, no webhook notification`], workflows: 0 });
  else if (!checks[3].passed) evidence.push({ source: 'verification', summary: `${RULE_EVIDENCE.routing}: ${trace.alertname}`, lines: [`received by ${trace.notifiedReceivers.join(', ')}; routing tree says ${expected.join(', ')}`], workflows: 0 });
  else if (!checks[0].passed || !checks[1].passed) evidence.push({ source: 'verification', summary: `${RULE_EVIDENCE.notDelivered}: ${trace.alertname} too late`, lines: [`${trace.alertname}: expected ${limit}, Prometheus ${ms(trace.prometheusMs)}, Alertmanager ${ms(trace.alertmanagerMs)}`], workflows: 0 });
  return { checks, evidence };
}

export const phase2f: PhaseDefinition<typeof phase2fThresholds> = {
  id: '2f',
  title: 'Phase 2F: Alert Validation',
  description: 'The alert rules pass promtool and their unit tests, and live alerts fire, reach Alertmanager, route and resolve.',
  // The reference worker writes to every store, as in 2D.
  services: phase2d.services,
  thresholds: phase2fThresholds,
  nextStep: 'Metrics and alerts are proven: the observability profile can be relied on (`apex up --profile observability`).',
  openEnvironment: (loaded) => {
    const settings = parseThresholds(loaded.config, '2f', phase2fThresholds);
    return openObservabilityEnvironment(loaded, { timing: { interval: settings.interval, notifyDelay: settings.notifyDelay, jobIntervals: { [SCRAPE_JOBS.temporal]: settings.serverScrapeInterval } }, ruleFor: settings.testFor, workerReadySeconds: settings.workerReadySeconds }, `2f-${Date.now().toString(36)}`);
  },
  tests: [
    test<Phase2fThresholds>('test_rules_promtool_check', '`promtool check rules` over templates/prometheus/rules: every rule file loads and every expression parses.', async (ctx) => {
      const session = observabilityOf(ctx.environment);
      if (!session.tools.promtool) return toolsMissing(`${ctx.runId}-check`, 'promtool');
      const sources = ruleSources(session);
      const run = await checkRules(sources.ruleFiles, { binary: session.tools.promtool });
      return checksOutcome(`${ctx.runId}-check`, merge(checkRuleSyntax(sources.ruleFiles, run), checkRuleExpressions(sources.rules)));
    }),
    test<Phase2fThresholds>('test_rules_unit_tests', '`promtool test rules` over templates/prometheus/tests, and every rule has a test where it fires and one where it stays quiet.', async (ctx) => {
      const session = observabilityOf(ctx.environment);
      if (!session.tools.promtool) return toolsMissing(`${ctx.runId}-unit`, 'promtool');
      const sources = ruleSources(session);
      const run = await testRules(sources.testFiles, { binary: session.tools.promtool });
      return checksOutcome(`${ctx.runId}-unit`, checkRuleUnitTests(sources.rules, run, ruleTestCoverage(sources.testFiles.map(readRuleTestFile))));
    }),
    test<Phase2fThresholds>('test_rules_annotations', 'Every rule has a summary, a description, a severity and a runbook_url whose section exists in templates/prometheus/runbook.md.', async (ctx) => {
      const sources = ruleSources(observabilityOf(ctx.environment));
      return checksOutcome(`${ctx.runId}-annotations`, checkRuleAnnotations(sources.rules, markdownAnchors(readFileSync(sources.runbook, 'utf8'))));
    }),
    test<Phase2fThresholds>('test_alertmanager_routing_config', '`amtool check-config`, and the routing tree sends every rule to a receiver other than the catch-all.', async (ctx, t) => {
      const session = observabilityOf(ctx.environment);
      if (!session.tools.amtool) return toolsMissing(`${ctx.runId}-routing`, 'amtool');
      const sources = ruleSources(session);
      const config = await checkAlertmanagerConfig(sources.alertmanagerConfig, { binary: session.tools.amtool });
      const configCheck: CheckOutcome = {
        checks: [{ name: 'amtool check-config', expected: 'SUCCESS', actual: config.ok ? 'SUCCESS' : config.output.split('\n').slice(-3).join(' '), passed: config.ok }],
        evidence: config.ok ? [] : [{ source: 'verification', summary: `${RULE_EVIDENCE.routing}: alertmanager.yml does not load`, lines: config.output.split('\n').slice(-8), workflows: 0 }],
      };
      if (!config.ok) return checksOutcome(`${ctx.runId}-routing`, configCheck);
      const routing = await checkRuleRouting(sources.rules, (labels) => receiversFor(sources.alertmanagerConfig, labels, { binary: session.tools.amtool }), t.defaultReceiver);
      return checksOutcome(`${ctx.runId}-routing`, merge(configCheck, routing));
    }),
    test<Phase2fThresholds>('test_worker_down_alert_fires', 'Under load, kills the worker process: WorkerDown must fire, reach Alertmanager within its `for` + scrape interval (+ slack) and be delivered to the receiver the routing tree names.', (ctx, t) =>
      withLiveStack(ctx, 'worker-down', async (session, live) => {
        const record = liveRecord(session);
        const worker = await session.worker();
        await pollUntil(async () => ((await live.prometheus.targets()).every((target) => target.health === 'up') ? true : undefined), { timeoutMs: 30_000, intervalMs: 500, clock: ctx.clock });
        record.background = runAssessedWorkload(
          ctx,
          { label: 'under-load', count: t.backgroundWorkflows, model: { kind: 'open', ratePerSecond: t.backgroundRatePerSecond }, taskQueue: session.taskQueue, timeoutSeconds: t.workflowTimeoutSeconds },
          false,
        );
        // Let some workflows run before the crash, so the worker dies with work in flight.
        await ctx.clock.sleep(Math.min(3_000, (t.backgroundWorkflows / t.backgroundRatePerSecond) * 250));
        const since = ctx.clock.now();
        await worker.kill();
        const budgetMs = (seconds(t.testFor) + seconds(t.interval) + t.deliverySlackSeconds) * 1000;
        const trace = await traceAlertFiring({ ...live, clock: ctx.clock }, 'WorkerDown', { since, timeoutMs: budgetMs + 20_000 });
        record.traces.push(trace);
        return checksOutcome(`${ctx.runId}-worker-down`, deliveryChecks(trace, budgetMs, await expectedReceivers(session, 'WorkerDown')));
      }),
    ),
    test<Phase2fThresholds>('test_worker_down_alert_resolves', 'Restarts the worker: WorkerDown must stop firing and a "resolved" notification arrive; every workflow started under load must then complete.', (ctx, t) =>
      withLiveStack(ctx, 'worker-back', async (session, live) => {
        const record = liveRecord(session);
        const since = ctx.clock.now();
        // Traced while the worker starts: Prometheus sees it up as soon as its metrics endpoint serves.
        const [, trace] = await Promise.all([session.worker(), traceAlertResolution({ ...live, clock: ctx.clock }, 'WorkerDown', { since, timeoutMs: t.resolveTimeoutSeconds * 1000 })]);
        const resolved: CheckOutcome = {
          checks: [
            { name: 'WorkerDown no longer firing', expected: `≤ ${t.resolveTimeoutSeconds} s`, actual: trace.prometheusMs === undefined ? 'still firing' : `${(trace.prometheusMs / 1000).toFixed(1)} s`, passed: trace.prometheusMs !== undefined },
            { name: 'WorkerDown resolved notification', expected: `≤ ${t.resolveTimeoutSeconds} s`, actual: trace.notifiedMs === undefined ? 'none' : `${(trace.notifiedMs / 1000).toFixed(1)} s at ${trace.notifiedReceivers.join(', ')}`, passed: trace.notifiedMs !== undefined },
          ],
          evidence:
            trace.notifiedMs === undefined
              ? [
                  {
                    source: 'verification',
                    summary: `${RULE_EVIDENCE.notResolved}: WorkerDown`,
                    lines: [
                      trace.prometheusMs === undefined ? 'Prometheus still reports it firing after the worker restarted' : 'Prometheus stopped firing it, but no resolved notification reached the webhook (send_resolved?)',
                      ...live.webhook.received().filter((alert) => alert.alertname === 'WorkerDown').map((alert) => `notification at ${alert.receivedAt.toISOString()}: ${alert.status} via ${alert.receiver}`),
                    ],
                    workflows: 0,
                  },
                ]
              : [],
        };
        if (!record.background) return checksOutcome(`${ctx.runId}-worker-back`, resolved);
        const background = labelled('workflows started under load', (await record.background).assessment);
        const checks = [...resolved.checks, ...background.checks];
        return { ...testStatus(checks), runId: (await record.background).run.runId, checks, evidence: [...resolved.evidence, ...background.evidence], metrics: background.metrics };
      }, { startWorker: false }),
    ),
    test<Phase2fThresholds>('test_failure_rate_alert_fires', 'Injects failures (workflows fed a document no parser accepts) after a few successful ones: HighWorkflowFailureRate must fire and be delivered to the receiver the routing tree names.', (ctx, t) =>
      withLiveStack(ctx, 'failure-rate', async (session, live) => {
        const record = liveRecord(session);
        await session.worker();
        const shared = { taskQueue: session.taskQueue, timeoutSeconds: t.workflowTimeoutSeconds };
        const ok = t.successfulWorkflows > 0 ? await runAssessedWorkload(ctx, { ...shared, label: 'before-failures', count: t.successfulWorkflows, model: { kind: 'closed', concurrency: 3 } }, false) : undefined;
        const since = ctx.clock.now();
        const failing = runAssessedWorkload(ctx, { ...shared, label: 'failures', count: t.failingWorkflows, model: { kind: 'open', ratePerSecond: t.failingRatePerSecond }, document: unsupportedDocument }, true);
        const budgetMs = (t.failingWorkflows / t.failingRatePerSecond + seconds(t.testFor) + seconds(t.interval) + t.deliverySlackSeconds) * 1000;
        const trace = await traceAlertFiring({ ...live, clock: ctx.clock }, 'HighWorkflowFailureRate', { since, timeoutMs: budgetMs + 20_000 });
        record.traces.push(trace);
        const failed = await failing;
        const parts = [deliveryChecks(trace, undefined, await expectedReceivers(session, 'HighWorkflowFailureRate')), ...(ok ? [labelled('successful first', ok.assessment)] : []), labelled('failing by design', failed.assessment)];
        const checks = parts.flatMap((part) => part.checks);
        return { ...testStatus(checks), runId: failed.run.runId, checks, evidence: parts.flatMap((part) => part.evidence), metrics: failed.assessment.metrics };
      }),
    ),
    test<Phase2fThresholds>('test_alerts_routed_to_expected_receivers', 'Every notification the webhook received during the phase came through the receiver the routing tree names for that alert, and none through the catch-all.', (ctx, t) =>
      withLiveStack(ctx, 'routing', async (session, live) => {
        const received = live.webhook.received();
        const outcome: CheckOutcome = { checks: [], evidence: [] };
        for (const alertname of [...new Set(received.map((alert) => alert.alertname))]) {
          const expected = await expectedReceivers(session, alertname);
          const got = [...new Set(received.filter((alert) => alert.alertname === alertname).map((alert) => alert.receiver))];
          const passed = !got.includes(t.defaultReceiver) && (expected.length === 0 || got.every((receiver) => expected.includes(receiver)));
          outcome.checks.push({ name: `${alertname} receivers`, expected: expected.join(', ') || `not ${t.defaultReceiver}`, actual: got.join(', '), passed });
          if (!passed) outcome.evidence.push({ source: 'verification', summary: `${RULE_EVIDENCE.routing}: ${alertname}`, lines: [`received by ${got.join(', ')}; routing tree says ${expected.join(', ') || '(unknown)'}`], workflows: 0 });
        }
        const traced = liveRecord(session).traces.map((trace) => trace.alertname);
        outcome.checks.push({ name: 'alerts the live tests caused were delivered', expected: traced.join(', ') || '(none traced)', actual: [...new Set(received.map((alert) => alert.alertname))].join(', ') || 'none', passed: traced.length > 0 && traced.every((name) => received.some((alert) => alert.alertname === name)) });
        return checksOutcome(`${ctx.runId}-routing-live`, outcome);
      }),
    ),
  ],
};
