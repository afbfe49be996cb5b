import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { durationMs, durationSetting } from '../config/duration.js';
import { panelQueries, readDashboards } from '../observability/dashboard-queries.js';
import { scrapeEndpoint } from '../observability/exposition.js';
import { checkGrafanaProvisioning, grafanaFor } from '../observability/grafana-api.js';
import {
  checkMetricsExposed,
  checkMetricsScraped,
  checkPanelQueries,
  checkRuleMetrics,
  checkTargetsUp,
  EVIDENCE,
  requiredScrapes,
  type EndpointFamilies,
} from '../observability/metric-checks.js';
import { catalogueScrapes, checkCatalogue, checkMovesBetween } from '../observability/metric-expectations.js';
import { catalogueEntry, CREATED_ON_ERROR, DEFAULT_REQUIRED_METRICS, knownSeriesNames, SCRAPE_JOBS } from '../observability/metric-catalogue.js';
import { alertRulesIn } from '../observability/rule-files.js';
import { pollUntil } from '../runtime/poll.js';
import type { PhaseContext } from './phase-context.js';
import type { PhaseDefinition } from './phase-definition.js';
import { phase2d } from './phase-2d.js';
import { observabilityOf, type ObservabilitySession } from './observability-session.js';
import {
  abortedOutcome,
  checksOutcome,
  labelled,
  noWorkflowMetrics,
  withLiveStack,
  openObservabilityEnvironment,
  runAssessedWorkload,
  test,
  failingByDesign,
} from './observability-tests.js';
import { parseThresholds } from './thresholds.js';
import { testStatus } from './verification.js';
import { STORES } from '../results/ingestion-contract.js';

/** Phase 2E settings (config `phases['2e']`). */
export const phase2eThresholds = z
  .object({
    /** Metric families that must be exposed (by the Temporal server or the worker) and scraped. */
    requiredMetrics: z
      .array(z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name'))
      .min(1)
      .default([...DEFAULT_REQUIRED_METRICS]),
    /** The short load that makes the metrics exist: successful workflows... */
    loadWorkflows: z.number().int().positive().default(20),
    /** ...and workflows that fail by design: a store write the contract's `faults` make fail, or a document no parser accepts. */
    failingWorkflows: z.number().int().nonnegative().default(4),
    /** The store whose write fails in the failing workflows, where the contract can make one fail. */
    failingStore: z.enum(STORES).default('neo4j'),
    loadRatePerSecond: z.number().positive().default(5),
    /** Scrape and rule evaluation interval of the phase's Prometheus. */
    scrapeInterval: durationSetting(['ms', 's', 'm']).default('1s'),
    /** Scrape interval and timeout of the Temporal server (its exposition is large: a short timeout on a busy machine reads as "down"). */
    serverScrapeInterval: durationSetting(['ms', 's', 'm']).default('5s'),
    /** What $__rate_interval becomes when the dashboard queries are checked. */
    rateInterval: durationSetting(['s', 'm', 'h']).default('2m'),
    /** How far back "the series has samples" looks. */
    sampleWindow: durationSetting(['s', 'm', 'h']).default('5m'),
    targetsUpSeconds: z.number().positive().default(30),
    workerReadySeconds: z.number().positive().default(60),
    workflowTimeoutSeconds: z.number().positive().default(120),
  })
  .strict();
export type Phase2eThresholds = z.infer<typeof phase2eThresholds>;

/** The scrape jobs of a run: the Temporal server's, and the measured worker's when its metrics can be read. */
const jobsOf = (session: ObservabilitySession): string[] => [SCRAPE_JOBS.temporal, ...(session.metricsUrls.worker ? [SCRAPE_JOBS.worker] : [])];

/** apex's dashboards and rules read apex's worker's SDK metrics: they say nothing about another worker. */
const apexWorkerOnly =
  (what: string) =>
  (ctx: PhaseContext): string | undefined =>
    observabilityOf(ctx.environment).runsApexWorker
      ? undefined
      : `${what} read the SDK metrics of apex's own worker, and the worker under test is the contract's (${ctx.contract.label})`;

/**
 * The required metrics that apply to the measured worker and to what the run did: apex's SDK metrics only where apex's
 * worker is measured, and a counter created by a failure only once the run's workload caused that failure.
 */
const requiredFor = (session: ObservabilitySession, required: readonly string[]): string[] =>
  required.filter((name) => {
    const entry = catalogueEntry(name);
    return (session.runsApexWorker || entry?.source !== 'worker') && (!entry?.createdBy || session.provoked.has(entry.createdBy));
  });

/** Two more scrapes, so the last increments of a load are in Prometheus before the checks read it. */
export const scrapesSettleMs = (settings: Pick<Phase2eThresholds, 'scrapeInterval'>): number => 2 * durationMs(settings.scrapeInterval);

export const phase2e: PhaseDefinition<typeof phase2eThresholds> = {
  id: '2e',
  title: 'Phase 2E: Metrics Validation',
  description: 'The Temporal server and the worker under test expose their metrics, Prometheus scrapes them, and every dashboard query returns data.',
  // The worker writes to every store, as in 2D.
  services: phase2d.services,
  thresholds: phase2eThresholds,
  nextStep: 'Proceed to phase 2F (alert validation): `apex test phase 2f`.',
  openEnvironment: (loaded, run) => {
    const settings = parseThresholds(loaded.config, '2e', phase2eThresholds);
    return openObservabilityEnvironment(
      loaded,
      {
        timing: { interval: settings.scrapeInterval, notifyDelay: '1s', jobIntervals: { [SCRAPE_JOBS.temporal]: settings.serverScrapeInterval } },
        ruleFor: '5s',
        workerReadySeconds: settings.workerReadySeconds,
      },
      run,
    );
  },
  tests: [
    test<Phase2eThresholds>(
      'test_metrics_under_load',
      "Runs a short load through the worker under test: successful workflows and workflows that fail by design; every workflow must end as planned, and every counter the contract's `metrics` say a workload moves must move by the amount it implies (scraped before and after).",
      (ctx, t) =>
        withLiveStack(ctx, 'load', async (session, live) => {
          const jobs = jobsOf(session);
          await pollUntil(async () => ((await live.prometheus.targets()).filter((target) => target.health === 'up').length >= jobs.length ? true : undefined), {
            timeoutMs: t.targetsUpSeconds * 1000,
            intervalMs: 500,
            clock: ctx.clock,
          });
          const moving = ctx.contract.metrics.filter((metric) => metric.moves.length > 0);
          const before = moving.length > 0 && session.metricsUrls.worker ? await scrapeEndpoint(session.metricsUrls.worker) : undefined;
          const shared = {
            model: { kind: 'open' as const, ratePerSecond: t.loadRatePerSecond },
            taskQueue: session.taskQueue,
            timeoutSeconds: t.workflowTimeoutSeconds,
          };
          const [ok, failing] = await Promise.all([
            runAssessedWorkload(ctx, { ...shared, label: 'metrics-ok', count: t.loadWorkflows }, false),
            t.failingWorkflows > 0
              ? runAssessedWorkload(
                  ctx,
                  {
                    ...shared,
                    label: 'metrics-failing',
                    count: t.failingWorkflows,
                    model: { kind: 'open', ratePerSecond: Math.max(0.5, t.failingWorkflows / Math.max(1, t.loadWorkflows / t.loadRatePerSecond)) },
                    ...failingByDesign(ctx.contract, t.failingStore),
                  },
                  true,
                )
              : undefined,
          ]);
          if (failing) {
            session.provoked.add('failed-activity');
            // A contract whose workflows return their failures completes every execution: the server counts none failed.
            if (ctx.contract.saga?.failedAs === 'execution') session.provoked.add('failed-execution');
          }
          const after = before && session.metricsUrls.worker ? await scrapeEndpoint(session.metricsUrls.worker) : undefined;
          await ctx.clock.sleep(scrapesSettleMs(t));
          const amounts = { workflows: ok.run.planned + (failing?.run.planned ?? 0), succeeded: ok.run.planned, failed: failing?.run.planned ?? 0 };
          const parts = [
            labelled('successful', ok.assessment),
            ...(failing ? [labelled('failing by design', failing.assessment)] : []),
            ...(before && after ? [checkMovesBetween(moving, before, after, amounts)] : []),
          ];
          const checks = parts.flatMap((part) => part.checks);
          return { ...testStatus(checks), runId: ok.run.runId, checks, evidence: parts.flatMap((part) => part.evidence), metrics: ok.assessment.metrics };
        }),
    ),
    test<Phase2eThresholds>(
      'test_prometheus_targets_up',
      "Prometheus scrapes the Temporal server (job temporal) and the worker under test's metrics endpoint (job apex-worker), and both targets are up.",
      (ctx) =>
        withLiveStack(ctx, 'targets', async (session, live) => {
          const outcome = checkTargetsUp(await live.prometheus.targets(), jobsOf(session));
          if (session.noWorkerMetrics)
            outcome.checks.push({ name: `target ${SCRAPE_JOBS.worker} up`, expected: 'a metrics endpoint', actual: session.noWorkerMetrics, passed: false });
          return checksOutcome(`${ctx.runId}-targets`, outcome);
        }),
    ),
    test<Phase2eThresholds>(
      'test_required_metrics_exposed',
      "Every required metric (phases.2e.requiredMetrics; apex's SDK metrics only where apex's own worker is measured; a failure counter once the load test caused that failure) is on the /metrics endpoint of the Temporal server or of the worker.",
      (ctx, t) =>
        withLiveStack(ctx, 'exposed', async (session) => {
          const urls = session.metricsUrls;
          const [temporal, worker] = await Promise.all([scrapeEndpoint(urls.temporal), urls.worker ? scrapeEndpoint(urls.worker) : undefined]);
          const exposed: EndpointFamilies = { temporal: temporal.families, worker: worker?.families };
          const outcome = checkMetricsExposed(requiredFor(session, t.requiredMetrics), exposed, urls);
          for (const [source, read] of [
            ['temporal', temporal],
            ['worker', worker],
          ] as const) {
            if (read?.error)
              outcome.evidence.unshift({ source: 'verification', summary: `Scrape target down: ${source} endpoint`, lines: [read.error], workflows: 0 });
          }
          return checksOutcome(`${ctx.runId}-exposed`, outcome);
        }),
    ),
    test<Phase2eThresholds>(
      'test_required_metrics_scraped',
      "Every required metric, and every metric of the contract's catalogue the worker has samples of, has series with samples in Prometheus, under the job that should expose it.",
      (ctx, t) =>
        withLiveStack(ctx, 'scraped', async (session, live) => {
          const worker = session.metricsUrls.worker && ctx.contract.metrics.length > 0 ? await scrapeEndpoint(session.metricsUrls.worker) : undefined;
          const expected = [
            ...requiredScrapes(requiredFor(session, t.requiredMetrics)),
            ...catalogueScrapes(ctx.contract.metrics, worker?.families ?? new Map()),
          ];
          const outcome = await checkMetricsScraped(live.prometheus, expected, t.sampleWindow);
          if (worker?.error) outcome.checks.push({ name: 'worker metrics read', expected: 'the endpoint answers', actual: worker.error, passed: false });
          return checksOutcome(`${ctx.runId}-scraped`, outcome);
        }),
    ),
    test<Phase2eThresholds>(
      'test_worker_metrics_catalogued',
      "Every metric of the worker contract's catalogue (`metrics`) is on the worker's endpoint, with HELP and TYPE, of the expected type, with the expected labels.",
      (ctx) =>
        withLiveStack(ctx, 'catalogue', async (session) => {
          const url = session.metricsUrls.worker ?? '';
          const read = await scrapeEndpoint(url);
          if (!read.families) return abortedOutcome(`${ctx.runId}-catalogue`, `${EVIDENCE.targetDown}: worker endpoint`, read.error);
          return checksOutcome(`${ctx.runId}-catalogue`, checkCatalogue(ctx.contract.metrics, read.families, url));
        }),
      (ctx) => {
        if (ctx.contract.metrics.length === 0)
          return `the worker contract ${ctx.contract.label} lists no metrics (\`metrics\`); phases.2e.requiredMetrics are checked instead`;
        return observabilityOf(ctx.environment).noWorkerMetrics;
      },
    ),
    test<Phase2eThresholds>(
      'test_dashboard_queries_return_data',
      'Every panel query of the provisioned Grafana dashboards evaluates without error in Prometheus and returns data.',
      (ctx, t) =>
        withLiveStack(ctx, 'dashboards', async (session, live) => {
          const dashboardsDir = join(templatesOf(ctx), 'grafana', 'dashboards');
          // The load ran on the phase's own queue: point the task_queue variable there.
          const variables = { rateInterval: t.rateInterval, interval: t.scrapeInterval, values: { task_queue: session.taskQueue, namespace: ctx.namespace } };
          const queries = readDashboards(dashboardsDir).flatMap((dashboard) => panelQueries(dashboard.json, variables));
          return checksOutcome(`${ctx.runId}-dashboards`, await checkPanelQueries(live.prometheus, queries));
        }),
      apexWorkerOnly("apex's dashboards"),
    ),
    test<Phase2eThresholds>(
      'test_alert_rules_select_existing_metrics',
      'Every metric an alert rule selects is in Prometheus or known to the server/SDK metric catalogue: a rule over a metric that does not exist never fires.',
      (ctx) =>
        withLiveStack(ctx, 'rule-metrics', async (_session, live) => {
          const rulesDir = join(templatesOf(ctx), 'prometheus', 'rules');
          const rules = readdirSync(rulesDir)
            .filter((name) => /\.ya?ml$/.test(name))
            .flatMap((name) => alertRulesIn(join(rulesDir, name)));
          // Known = in Prometheus now, written by Prometheus per target, or emitted by these server/SDK versions once there is traffic.
          const known = [...(await live.prometheus.metricNames()), ...knownSeriesNames()];
          return checksOutcome(`${ctx.runId}-rule-metrics`, checkRuleMetrics(rules, known, CREATED_ON_ERROR));
        }),
      apexWorkerOnly("apex's alert rules (phase 2F checks the project's own)"),
    ),
    test<Phase2eThresholds>(
      'test_grafana_dashboard_provisioned',
      'Where Grafana runs (the observability profile), the ingestion dashboard and its Prometheus datasource are provisioned and healthy, and every panel query evaluates through Grafana.',
      async (ctx, t) => {
        const grafana = grafanaFor(observabilityOf(ctx.environment).grafana);
        if (!(await grafana.reachable())) {
          return {
            status: 'skipped',
            reason: `Grafana is not running at ${grafana.baseUrl} (start it with \`apex up --profile observability\`)`,
            runId: `${ctx.runId}-grafana`,
            checks: [],
            evidence: [],
            metrics: noWorkflowMetrics(),
          };
        }
        const dashboards = readDashboards(join(templatesOf(ctx), 'grafana', 'dashboards'));
        // Grafana queries its own Prometheus with the dashboard's own variables.
        const queries = dashboards.flatMap((dashboard) => panelQueries(dashboard.json, { rateInterval: t.rateInterval, interval: t.scrapeInterval }));
        return checksOutcome(`${ctx.runId}-grafana`, await checkGrafanaProvisioning(grafana, dashboards, queries));
      },
    ),
  ],
};

const templatesOf = (ctx: PhaseContext): string => observabilityOf(ctx.environment).templatesDir;
