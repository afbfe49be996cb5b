import { isAbsolute, resolve } from 'node:path';
import type { LoadedStack } from '../../config/stack-context.js';
import { renderTemplate } from '../../contracts/render.js';
import type { WorkerContract } from '../../contracts/schema.js';
import { ApexError } from '../../errors.js';
import { findTools, INSTALL_HINT, type ToolPaths } from '../../observability/binaries.js';
import { scrapeTarget } from '../../observability/live-config.js';
import { startLiveStack, type LiveStack } from '../../observability/live-stack.js';
import { APEX_RULE_REQUIREMENTS, type RuleRequirements } from '../../observability/rule-files.js';
import { createPortAllocator } from '../../runtime/ports.js';
import { stackVariables } from '../../services/contract-variables.js';
import type { ObservabilitySession } from '../observability-session.js';
import type { PhaseContext, PhaseEnvironment } from '../phase-context.js';
import type { EnvironmentRun, OpenedEnvironment, TestDefinition } from '../phase-definition.js';
import { phase2d } from '../phase-2d.js';
import { projectRuleSources, templateRuleSources, type RuleSources } from './rule-sources.js';
import type { ObservabilitySettings } from '../observability-session.js';

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
  return ctx.contract.faults?.kind === 'in-process'
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

/** The worker's metrics URL with the stack's endpoints filled in. */
function metricsUrlOf(loaded: LoadedStack, contract: WorkerContract, run: EnvironmentRun): string | undefined {
  const template = contract.worker?.metricsUrl;
  if (!template) return undefined;
  return renderTemplate(template, { ...stackVariables(loaded.stack, contract), runId: run.runId, phase: '2f' });
}

/**
 * The 2D environment (S3 and the stores, for the workflows that provoke the alerts) plus a private Prometheus that
 * loads the project's rule files and scrapes the worker under test, and Alertmanager with apex's routing tree and
 * webhook. Prometheus starts on first use.
 */
export async function openProjectAlerting(
  loaded: LoadedStack,
  alerts: NonNullable<WorkerContract['alerts']>,
  settings: ObservabilitySettings,
  run: EnvironmentRun,
): Promise<OpenedEnvironment> {
  const opened = await phase2d.openEnvironment(loaded, run);
  const tools = findTools();
  const fromProject = (file: string) => (isAbsolute(file) ? file : resolve(loaded.stack.projectDir, file));
  const sources = projectRuleSources(alerts.ruleFiles.map(fromProject), alerts.testFiles.map(fromProject), loaded.stack.templatesDir);
  const metricsUrl = metricsUrlOf(loaded, run.contract, run);
  let live: Promise<LiveStack> | undefined;
  const alerting: Alerting = {
    label: "the project's rules",
    tools,
    sources,
    requirements: { labels: alerts.labels, annotations: alerts.annotations },
    metricsUrl,
    live: () => {
      live ??= (async () => {
        if (!tools.prometheus || !tools.alertmanager) {
          throw new ApexError(
            'PROMETHEUS_TOOLS_MISSING',
            `Prometheus tools missing: ${[!tools.prometheus && 'prometheus', !tools.alertmanager && 'alertmanager'].filter(Boolean).join(', ')} not on PATH.`,
            `Install them: ${INSTALL_HINT}.`,
          );
        }
        if (!metricsUrl) {
          throw new ApexError(
            'CONTRACT_NO_METRICS_URL',
            "The worker contract names no metrics endpoint: Prometheus has nothing to evaluate the project's rules on.",
            'Set `contract.worker.metricsUrl` in apex.config.yaml (e.g. "http://127.0.0.1:9091/metrics").',
            2,
          );
        }
        return startLiveStack({
          templatesDir: loaded.stack.templatesDir,
          targets: {},
          jobs: [scrapeTarget(alerts.job, metricsUrl)],
          ruleFiles: sources.ruleFiles,
          timing: settings.timing,
          ruleFor: settings.ruleFor,
          binaries: { prometheus: tools.prometheus, alertmanager: tools.alertmanager },
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
