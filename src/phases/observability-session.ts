import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LoadedStack } from '../config/stack-context.js';
import { ApexError } from '../errors.js';
import { findTools, INSTALL_HINT, type ToolPaths } from '../observability/binaries.js';
import type { GrafanaTarget } from '../observability/grafana-api.js';
import { startLiveStack, type LiveStack } from '../observability/live-stack.js';
import type { LiveTiming } from '../observability/live-config.js';
import { SCRAPE_JOBS } from '../observability/metric-catalogue.js';
import { createPortAllocator } from '../runtime/ports.js';
import { apexWorkerCommand, createWorkerProcess, type WorkerProcess } from '../observability/worker-process.js';
import type { Clock } from '../runtime/poll.js';
import { resolveEndpoint, serviceByName } from '../services/catalog.js';
import type { PhaseEnvironment } from './phase-context.js';

export interface ObservabilitySettings {
  timing: LiveTiming;
  /** Every alert's `for:` in the rules the live Prometheus loads. */
  ruleFor: string;
  workerReadySeconds: number;
}

/**
 * What phases 2E and 2F share for one run: a worker process with its SDK metrics endpoint, polling a task queue of
 * its own, and a private Prometheus + Alertmanager (+ apex's webhook) scraping it and the Temporal server.
 * Started on first use; closed with the phase environment.
 */
export interface ObservabilitySession {
  readonly taskQueue: string;
  readonly tools: ToolPaths;
  readonly templatesDir: string;
  /** Where the observability profile's Grafana would be, with the admin credentials from .env. */
  readonly grafana: GrafanaTarget;
  /** host:port of the Temporal server's metrics and of the worker's. */
  readonly endpoints: { temporal: string; worker: string };
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
  runLabel: string;
  settings: ObservabilitySettings;
  clock: Clock;
  tools?: ToolPaths;
  /** Tests: how to run the worker (default: this installation's `apex worker`). */
  workerCommand?: (metricsAddress: string, taskQueue: string) => string[];
}

export async function openObservabilitySession(options: SessionOptions): Promise<ObservabilitySession> {
  const { loaded, settings, clock } = options;
  const tools = options.tools ?? findTools();
  const temporal = resolveEndpoint(loaded.config, serviceByName('temporal'));
  const taskQueue = `${loaded.config.ingestion.taskQueue}-${options.runLabel}`;
  const ports = createPortAllocator();
  const workerAddress = `127.0.0.1:${await ports.freePort()}`;
  const endpoints = { temporal: `${temporal.host}:${temporal.ports.metrics}`, worker: workerAddress };
  // The worker reads its task queue from config: give it the project's config with the phase's own queue.
  const workDir = mkdtempSync(join(tmpdir(), 'apex-metrics-worker-'));
  const configFile = join(workDir, 'apex.config.yaml');
  writeFileSync(configFile, stringify({ ...loaded.config, ingestion: { ...loaded.config.ingestion, taskQueue } }));
  const command = options.workerCommand?.(workerAddress, taskQueue) ?? apexWorkerCommand({ metricsAddress: workerAddress, configFile });
  // Credentials travel in the environment (.env merged), never in the temporary config.
  const workerProcess = createWorkerProcess(
    { command, cwd: workDir, env: { ...loaded.env }, metricsAddress: workerAddress, taskQueue, readyTimeoutMs: settings.workerReadySeconds * 1000 },
    clock,
  );
  let live: Promise<LiveStack> | undefined;
  const grafana = resolveEndpoint(loaded.config, serviceByName('grafana'));
  return {
    taskQueue,
    tools,
    templatesDir: loaded.stack.templatesDir,
    grafana: { baseUrl: `http://${grafana.host}:${grafana.ports.http}`, user: 'admin', password: loaded.stack.credentials.grafanaPassword },
    endpoints,
    worker: async () => {
      await workerProcess.start();
      return workerProcess;
    },
    live: () => {
      live ??= (async () => {
        if (!tools.prometheus || !tools.alertmanager) {
          throw new ApexError(
            'PROMETHEUS_TOOLS_MISSING',
            `Prometheus tools missing: ${[!tools.prometheus && 'prometheus', !tools.alertmanager && 'alertmanager (prometheus-alertmanager)'].filter(Boolean).join(', ')} not on PATH.`,
            `Install them: ${INSTALL_HINT}.`,
          );
        }
        return startLiveStack({
          templatesDir: loaded.stack.templatesDir,
          targets: { [SCRAPE_JOBS.temporal]: endpoints.temporal, [SCRAPE_JOBS.worker]: endpoints.worker },
          timing: settings.timing,
          ruleFor: settings.ruleFor,
          binaries: { prometheus: tools.prometheus, alertmanager: tools.alertmanager },
          clock,
          ports,
        });
      })();
      return live;
    },
    close: async () => {
      await workerProcess.kill();
      if (live) await (await live.catch(() => undefined))?.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
