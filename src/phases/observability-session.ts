import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LoadedStack } from '../config/stack-context.js';
import { ApexError } from '../errors.js';
import { findTools, type ToolPaths } from '../observability/binaries.js';
import type { GrafanaTarget } from '../observability/grafana-api.js';
import { liveBinaries, startLiveStack, type LiveStack } from '../observability/live-stack.js';
import type { LiveTiming } from '../observability/live-config.js';
import { type FailureKind, SCRAPE_JOBS } from '../observability/metric-catalogue.js';
import { createPortAllocator } from '../runtime/ports.js';
import { apexWorkerCommand, createWorkerProcess, type WorkerProcess } from '../observability/worker-process.js';
import type { Clock } from '../runtime/poll.js';
import { renderTemplate } from '../contracts/render.js';
import { resolveEndpoint, serviceByName } from '../services/catalog.js';
import { stackVariables } from '../services/contract-variables.js';
import type { PhaseEnvironment } from './phase-context.js';
import type { EnvironmentRun } from './phase-definition.js';

export interface ObservabilitySettings {
  timing: LiveTiming;
  /** Every alert's `for:` in the rules the live Prometheus loads. */
  ruleFor: string;
  workerReadySeconds: number;
}

/** The /metrics URLs a phase reads: the Temporal server's, and the measured worker's when it has one. */
export interface MetricsUrls {
  temporal: string;
  worker?: string;
}

/**
 * What phases 2E and 2F share for one run: the worker they measure and a private Prometheus + Alertmanager (+ apex's
 * webhook) scraping it and the Temporal server. The measured worker is the worker under test (the contract's,
 * started by the runner or already running), or, when apex's own reference worker serves the run in-process, a
 * process of that worker with its SDK metrics endpoint on a task queue of its own. Started on first use; closed
 * with the phase environment.
 */
export interface ObservabilitySession {
  /** The queue the measured worker polls: the phase's workloads go there. */
  readonly taskQueue: string;
  /** True when the measured worker is the process of apex's own worker this session runs. */
  readonly runsApexWorker: boolean;
  readonly tools: ToolPaths;
  readonly templatesDir: string;
  /** Where the observability profile's Grafana would be, with the admin credentials from .env. */
  readonly grafana: GrafanaTarget;
  readonly metricsUrls: MetricsUrls;
  /** Why the measured worker's metrics cannot be read (the contract names no `worker.metricsUrl`), when they cannot. */
  readonly noWorkerMetrics?: string;
  /** The failures the run's workloads have caused so far: a counter created by one is only required after it. */
  readonly provoked: Set<FailureKind>;
  /** Makes sure the measured worker serves: starts apex's worker process when the session runs one. */
  serving(): Promise<void>;
  /** apex's worker process (started if it is not running), for tests that stop it; fails when the measured worker is the worker under test. */
  worker(): Promise<WorkerProcess>;
  live(): Promise<LiveStack>;
  close(): Promise<void>;
}

/** The phase environment of 2E/2F: the 2D environment (S3 + stores) plus the observability session. */
export interface ObservabilityEnvironment extends PhaseEnvironment {
  observability: ObservabilitySession;
}

export function observabilityOf(environment: PhaseEnvironment): ObservabilitySession {
  if (!('observability' in environment)) throw new Error('this phase environment has no observability session (open it with openObservabilityEnvironment)');
  return (environment as ObservabilityEnvironment).observability;
}

export interface SessionOptions {
  loaded: LoadedStack;
  /** The run's contract and who serves it; apex runs a worker process only when its own worker serves the run in-process. */
  run: Pick<EnvironmentRun, 'runId' | 'contract' | 'worker'>;
  settings: ObservabilitySettings;
  clock: Clock;
  tools?: ToolPaths;
  /** Tests: how to run apex's worker (default: this installation's `apex worker`). */
  workerCommand?: (metricsAddress: string, taskQueue: string) => string[];
}

/** The worker under test's metrics URL, from the contract's `worker.metricsUrl` over the stack's variables. */
function contractMetricsUrl(loaded: LoadedStack, run: SessionOptions['run']): string | undefined {
  const template = run.contract.worker?.metricsUrl;
  return template === undefined ? undefined : renderTemplate(template, { ...stackVariables(loaded.stack, run.contract), runId: run.runId });
}

const hostOf = (url: string): string => new URL(url).host;

/** apex's worker as a separate process on a queue of its own, with its SDK metrics endpoint on a free port. */
async function apexWorkerProcess(options: SessionOptions, taskQueue: string, metricsAddress: string): Promise<{ process: WorkerProcess; workDir: string }> {
  const { loaded, settings, clock } = options;
  // The worker reads its task queue from config: give it the project's config with the phase's own queue.
  const workDir = mkdtempSync(join(tmpdir(), 'apex-metrics-worker-'));
  const configFile = join(workDir, 'apex.config.yaml');
  writeFileSync(configFile, stringify({ ...loaded.config, ingestion: { ...loaded.config.ingestion, taskQueue } }));
  const command = options.workerCommand?.(metricsAddress, taskQueue) ?? apexWorkerCommand({ metricsAddress, configFile });
  // Credentials travel in the environment (.env merged), never in the temporary config.
  const process = createWorkerProcess(
    { command, cwd: workDir, env: { ...loaded.env }, metricsAddress, taskQueue, readyTimeoutMs: settings.workerReadySeconds * 1000 },
    clock,
  );
  return { process, workDir };
}

export async function openObservabilitySession(options: SessionOptions): Promise<ObservabilitySession> {
  const { loaded, settings, clock, run } = options;
  const tools = options.tools ?? findTools();
  const temporal = resolveEndpoint(loaded.config, serviceByName('temporal'));
  const ports = createPortAllocator();
  const runsApexWorker = run.worker === 'in-process';
  // Its own queue: the runner's in-process worker polls `<taskQueue>-<runId>`, and must not take these workflows.
  const taskQueue = runsApexWorker ? `${loaded.config.ingestion.taskQueue}-${run.runId}-metrics` : run.contract.temporal.taskQueue;
  const apexWorker = runsApexWorker ? await apexWorkerProcess(options, taskQueue, `127.0.0.1:${await ports.freePort()}`) : undefined;
  const workerUrl = apexWorker ? `http://${apexWorker.process.metricsAddress}/metrics` : contractMetricsUrl(loaded, run);
  const metricsUrls: MetricsUrls = { temporal: `http://${temporal.host}:${temporal.ports.metrics}/metrics`, worker: workerUrl };
  let live: Promise<LiveStack> | undefined;
  const grafana = resolveEndpoint(loaded.config, serviceByName('grafana'));
  const worker = async (): Promise<WorkerProcess> => {
    if (!apexWorker) {
      throw new ApexError(
        'NO_APEX_WORKER',
        `No worker process of apex runs in this run: the measured worker is the worker under test (contract ${run.contract.label}).`,
        "Stopping and restarting the worker is only possible for apex's own worker.",
      );
    }
    await apexWorker.process.start();
    return apexWorker.process;
  };
  return {
    taskQueue,
    runsApexWorker,
    tools,
    templatesDir: loaded.stack.templatesDir,
    grafana: { baseUrl: `http://${grafana.host}:${grafana.ports.http}`, user: 'admin', password: loaded.stack.credentials.grafanaPassword },
    metricsUrls,
    noWorkerMetrics: workerUrl
      ? undefined
      : `the worker contract ${run.contract.label} names no metrics endpoint (set contract.worker.metricsUrl, e.g. http://127.0.0.1:9091/metrics)`,
    provoked: new Set(),
    serving: async () => {
      if (apexWorker) await apexWorker.process.start();
    },
    worker,
    live: () => {
      live ??= (async () =>
        startLiveStack({
          templatesDir: loaded.stack.templatesDir,
          targets: {
            [SCRAPE_JOBS.temporal]: hostOf(metricsUrls.temporal),
            ...(metricsUrls.worker ? { [SCRAPE_JOBS.worker]: hostOf(metricsUrls.worker) } : {}),
          },
          timing: settings.timing,
          ruleFor: settings.ruleFor,
          binaries: liveBinaries(tools),
          clock,
          ports,
        }))();
      return live;
    },
    close: async () => {
      await apexWorker?.process.kill();
      if (live) await (await live.catch(() => undefined))?.stop();
      if (apexWorker) rmSync(apexWorker.workDir, { recursive: true, force: true });
    },
  };
}
