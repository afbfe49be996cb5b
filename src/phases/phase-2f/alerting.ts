import { isAbsolute, resolve } from 'node:path';
import type { LoadedStack } from '../../config/stack-context.js';
import type { WorkerContract } from '../../contracts/schema.js';
import { ApexError } from '../../errors.js';
import type { ToolPaths } from '../../observability/binaries.js';
import { scrapeTarget } from '../../observability/live-config.js';
import { liveBinaries, startLiveStack, type LiveStack } from '../../observability/live-stack.js';
import { APEX_RULE_REQUIREMENTS, type RuleRequirements } from '../../observability/rule-files.js';
import { createPortAllocator } from '../../runtime/ports.js';
import { observabilityOf, type ObservabilitySession, type ObservabilitySettings } from '../observability-session.js';
import { openObservabilityEnvironment } from '../observability-tests.js';
import type { PhaseContext, PhaseEnvironment } from '../phase-context.js';
import type { EnvironmentRun, OpenedEnvironment, TestDefinition } from '../phase-definition.js';
import { projectRuleSources, templateRuleSources, type RuleSources } from './rule-sources.js';

/**
 * The rules a 2F run checks and the Prometheus + Alertmanager that evaluate them: apex's own rules against apex's
 * worker, or the project's rule files (the contract's `alerts`) against the worker under test.
 */
export interface Alerting {
  /** "apex's rules" or "the project's rules", for reasons and descriptions. */
  readonly label: string;
  readonly tools: ToolPaths;
  readonly sources: RuleSources;
  readonly requirements: RuleRequirements;
  /** The worker's metrics endpoint the rules read; undefined when the contract names none. */
  readonly metricsUrl?: string;
  live(): Promise<LiveStack>;
}

interface AlertingEnvironment extends PhaseEnvironment {
  alerting: Alerting;
}

export function alertingOf(environment: PhaseEnvironment): Alerting {
  if (!('alerting' in environment)) throw new Error('this phase environment has no alerting (open it with phase 2F)');
  return (environment as AlertingEnvironment).alerting;
}

/** Why a test of the project's rules does not apply: the contract names none, so 2F checks apex's own. */
export const projectRules = (ctx: PhaseContext): string | undefined =>
  ctx.contract.alerts ? undefined : "the worker contract names no rule files of its own (`alerts.ruleFiles`): apex's rules are checked instead";

/** Why a live test of apex's own rules does not apply: it drives apex's worker, and the contract's worker is another. */
export function apexRules(ctx: PhaseContext): string | undefined {
  if (ctx.contract.alerts) return 'the worker contract brings its own rules (`alerts`): test_project_alerts_fire_and_resolve drives them';
  return ctx.worker === 'in-process'
    ? undefined
    : "apex's alerts are driven with apex's own worker, and this contract's worker is another: give the contract `alerts` to drive its own";
}

/** A test that is skipped, with the reason, where `reason` gives one. */
export const onlyWhen = <T>(reason: (ctx: PhaseContext) => string | undefined, definition: TestDefinition<T>): TestDefinition<T> => ({
  ...definition,
  skipReason: reason,
});

export const withAlerting = <E extends PhaseEnvironment>(environment: E, alerting: Alerting): E & AlertingEnvironment => ({ ...environment, alerting });

/** apex's rules, routing tree and runbook from templates/, evaluated by the observability session's stack. */
export function templateAlerting(session: ObservabilitySession): Alerting {
  return {
    label: "apex's rules",
    tools: session.tools,
    sources: templateRuleSources(session.templatesDir),
    requirements: APEX_RULE_REQUIREMENTS,
    live: () => session.live(),
  };
}

/**
 * The 2D environment (S3 and the stores, for the workflows that provoke the alerts) and the observability session
 * (which knows the worker under test's metrics URL), plus a private Prometheus that loads the project's rule files
 * and scrapes that worker under the contract's job, and Alertmanager with apex's routing tree and webhook. Prometheus
 * starts on first use.
 */
export async function openProjectAlerting(
  loaded: LoadedStack,
  alerts: NonNullable<WorkerContract['alerts']>,
  settings: ObservabilitySettings,
  run: EnvironmentRun,
): Promise<OpenedEnvironment> {
  const opened = await openObservabilityEnvironment(loaded, settings, run);
  const session = observabilityOf(opened.environment);
  const { tools } = session;
  const fromProject = (file: string) => (isAbsolute(file) ? file : resolve(loaded.stack.projectDir, file));
  const sources = projectRuleSources(alerts.ruleFiles.map(fromProject), alerts.testFiles.map(fromProject), loaded.stack.templatesDir);
  const metricsUrl = session.metricsUrls.worker;
  let live: Promise<LiveStack> | undefined;
  const alerting: Alerting = {
    label: "the project's rules",
    tools,
    sources,
    requirements: { labels: alerts.labels, annotations: alerts.annotations },
    metricsUrl,
    live: () => {
      live ??= (async () => {
        const binaries = liveBinaries(tools);
        if (!metricsUrl)
          throw new ApexError(
            'CONTRACT_NO_METRICS_URL',
            `Prometheus has nothing to evaluate the project's rules on: ${session.noWorkerMetrics ?? ''}`,
            'Set `contract.worker.metricsUrl` in apex.config.yaml.',
            2,
          );
        return startLiveStack({
          templatesDir: loaded.stack.templatesDir,
          targets: {},
          jobs: [scrapeTarget(alerts.job, metricsUrl)],
          ruleFiles: sources.ruleFiles,
          timing: settings.timing,
          ruleFor: settings.ruleFor,
          binaries,
          clock: run.clock,
          ports: createPortAllocator(),
        });
      })();
      return live;
    },
  };
  const environment = withAlerting(
    {
      ...opened.environment,
      close: async () => {
        if (live) await (await live.catch(() => undefined))?.stop();
        await opened.environment.close();
      },
    },
    alerting,
  );
  return { ...opened, environment };
}
