import { ApexError } from '../errors.js';
import type { LoadedStack } from '../config/stack-context.js';
import { resolveEndpoint, serviceByName } from '../services/catalog.js';
import { temporalConnectFailure } from '../services/temporal/auth-failure.js';
import { temporalAddress } from '../services/temporal/client.js';
import type { Progress } from '../ui/progress.js';
import { createActivities } from './activities/index.js';
import { ACTIVITY_NAMES } from '../results/ingestion-contract.js';
import { connectWorkerNative } from './temporal-connection.js';
import { createIngestionWorker } from './worker.js';
import { closeStoreClients, openStoreClients, realActivityDeps, s3Endpoint } from './worker-dependencies.js';
import { installWorkerRuntime } from './worker-runtime.js';
import { httpBaseUrl } from '../services/http-probe.js';

export interface WorkerRunOptions {
  loaded: LoadedStack;
  metricsAddress?: string;
  progress: Progress;
  /** Stops the worker (Ctrl-C); it drains in-flight tasks first. */
  signal: AbortSignal;
}

export interface WorkerRunResult {
  apiVersion: 1;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  workflowType: string;
  metricsUrl: string;
  s3Endpoint: string;
  embeddings: string;
  activities: readonly string[];
}

/** `apex worker`: the reference worker on the real stores, until the signal aborts. */
export async function runIngestionWorker(options: WorkerRunOptions): Promise<WorkerRunResult> {
  const { loaded, progress } = options;
  const { namespace, taskQueue, workflowType } = loaded.config.ingestion;
  const metricsAddress = options.metricsAddress ?? loaded.config.ingestion.workerMetricsAddress;
  const endpoint = resolveEndpoint(loaded.config, serviceByName('temporal'));
  if (!installWorkerRuntime({ metricsAddress, logLevel: 'INFO' })) {
    throw new ApexError('WORKER_RUNTIME', 'The Temporal runtime was already installed in this process.', 'Run `apex worker` in its own process.');
  }
  const connection = await connectWorkerNative(loaded.stack).catch((error: unknown) => {
    throw temporalConnectFailure(loaded.stack, error);
  });
  const clients = await openStoreClients(loaded.stack, loaded.env);
  try {
    const deps = realActivityDeps(loaded.stack, loaded.env, clients);
    const worker = await createIngestionWorker({ connection, namespace, taskQueue, activities: createActivities(deps) });
    const result: WorkerRunResult = {
      apiVersion: 1,
      temporalAddress: temporalAddress(endpoint),
      namespace,
      taskQueue,
      workflowType,
      metricsUrl: `http://${metricsAddress}/metrics`,
      s3Endpoint: httpBaseUrl(s3Endpoint(loaded.stack, loaded.env)),
      embeddings: `${deps.embedder.provider} (${deps.embedder.dimensions} dims)`,
      activities: ACTIVITY_NAMES,
    };
    progress.step(`worker connected to ${result.temporalAddress}, namespace ${namespace}, task queue ${taskQueue}`);
    progress.step(`serves ${workflowType} with ${ACTIVITY_NAMES.length} activities; S3 ${result.s3Endpoint}; embeddings ${result.embeddings}`);
    progress.step(`SDK metrics (Prometheus): ${result.metricsUrl}; Ctrl-C stops after in-flight tasks finish`);
    options.signal.addEventListener('abort', () => worker.shutdown(), { once: true });
    await worker.run();
    progress.done('worker stopped');
    return result;
  } finally {
    await closeStoreClients(clients);
    await connection.close();
  }
}
