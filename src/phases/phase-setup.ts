import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { LoadedStack } from '../config/stack-context.js';
import { renderTemplate } from '../contracts/render.js';
import type { WorkerContract } from '../contracts/schema.js';
import { stackVariables } from '../services/contract-variables.js';
import { ApexError, errorMessage } from '../errors.js';
import { createActivities } from '../ingestion/activities/index.js';
import type { IngestionActivities } from '../results/ingestion-contract.js';
import { createFaultInjector, type FaultInjector } from '../ingestion/fault-injection.js';
import { connectWorkerNative } from '../ingestion/temporal-connection.js';
import { bundleIngestionWorkflows, createIngestionWorker, type WorkflowBundle } from '../ingestion/worker.js';
import { installWorkerRuntime } from '../ingestion/worker-runtime.js';
import type { ServiceEndpoint } from '../services/service.js';
import { temporalAuthDiagnosis } from '../services/temporal/auth-failure.js';
import { temporalAddress } from '../services/temporal/client.js';
import type { Clock } from './load-generator.js';
import type { RunningWorker, WorkerMode } from './phase-context.js';
import type { OpenedEnvironment, PhaseDefinition } from './phase-definition.js';
import type { FailureEvidence } from '../results/run-result.js';
import { externalWorkerEvidence, namespaceQueriesOf, searchAttributesRegistered, type NamespaceQueries } from './temporal-readiness.js';
import { startWorkerUnderTest, type WorkerUnderTest } from './worker-under-test.js';

export const evidenceOf = (source: FailureEvidence['source'], summary: string, error: unknown): FailureEvidence => ({
  source,
  summary,
  lines:
    error instanceof ApexError
      ? [error.message, ...error.details]
      : [errorMessage(error), ...(error instanceof Error && error.cause ? [`cause: ${errorMessage(error.cause)}`] : [])],
  workflows: 0,
});

/** Everything a test needs; only a setup that succeeded has one. */
export interface ReadyPhase {
  client: Client;
  opened: OpenedEnvironment;
  searchAttributes: boolean;
  /** The contract's worker, when apex started it for the run. */
  workerUnderTest?: WorkerUnderTest;
  /** In-process workers only: the planned faults and a way to start another worker on another queue. */
  inProcess?: { faults: FaultInjector; startWorker: (taskQueue: string) => Promise<RunningWorker> };
}

export interface PhaseSetup {
  ready?: ReadyPhase;
  /** Why setup failed: every test fails with it. */
  evidence: FailureEvidence[];
  searchAttributes: boolean;
  embeddings: string;
  /** Closes what setup opened, last opened first. */
  close(): Promise<void>;
}

export interface SetupOptions {
  loaded: LoadedStack;
  phase: PhaseDefinition;
  endpoint: ServiceEndpoint;
  namespace: string;
  taskQueue: string;
  runId: string;
  clock: Clock;
  contract: WorkerContract;
  worker: WorkerMode;
  mapActivities?: (activities: IngestionActivities) => object;
}

/**
 * Connects to Temporal, asks it about the namespace, opens the phase's environment and starts the in-process worker
 * (or checks that an external one polls). Stops at the first step that fails, with its evidence.
 */
export async function setUpPhase(options: SetupOptions): Promise<PhaseSetup> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  let searchAttributes = false;
  let embeddings = 'n/a';
  const failed = (...evidence: FailureEvidence[]): PhaseSetup => ({ evidence, searchAttributes, embeddings, close });
  // Activity failures are the phases' evidence, read from histories: the worker need not print them.
  installWorkerRuntime({ logLevel: 'ERROR' });

  let connection: NativeConnection;
  try {
    connection = await connectWorkerNative(options.loaded.stack);
  } catch (error) {
    // A setting no connection can be made from (an unreadable CA file) is the user's to fix: exit 2, no run.
    if (error instanceof ApexError) throw error;
    const refused = temporalAuthDiagnosis(options.loaded.stack, error);
    return failed(evidenceOf('client', refused?.error ?? `Temporal is unreachable at ${temporalAddress(options.endpoint)}`, error));
  }
  closers.push(() => connection.close());
  const client = new Client({ connection, namespace: options.namespace });
  const queries = namespaceQueriesOf(client);
  const attributes = await searchAttributesRegistered(queries, options.namespace);
  if ('evidence' in attributes) return failed(attributes.evidence);
  searchAttributes = attributes.registered;

  // The worker under test starts first: it may create its own tables, which the environment's preflight then queries.
  let workerUnderTest: WorkerUnderTest | undefined;
  if (options.worker === 'started') {
    try {
      workerUnderTest = await startContractWorker(options, queries);
    } catch (error) {
      return failed(evidenceOf('worker', 'the worker under test did not start polling', error));
    }
    const started = workerUnderTest;
    closers.push(() => started.stop());
  }

  let opened: OpenedEnvironment;
  try {
    opened = await options.phase.openEnvironment(options.loaded, {
      runId: options.runId,
      clock: options.clock,
      contract: options.contract,
      worker: options.worker,
    });
  } catch (error) {
    return failed(evidenceOf('store', 'the phase environment could not be opened', error));
  }
  closers.push(() => opened.environment.close());
  embeddings = opened.embeddings;
  if (opened.problems.length > 0) return failed(...opened.problems);

  if (workerUnderTest) return { ready: { client, opened, searchAttributes, workerUnderTest }, evidence: [], searchAttributes, embeddings, close };
  if (options.worker === 'external') {
    const noWorker = await externalWorkerEvidence(queries, options.namespace, options.taskQueue);
    if (noWorker) return failed(noWorker);
    return { ready: { client, opened, searchAttributes }, evidence: [], searchAttributes, embeddings, close };
  }
  const faults = createFaultInjector();
  const inProcess = { faults, startWorker: inProcessWorkers(connection, opened, options, faults) };
  try {
    const worker = await inProcess.startWorker(options.taskQueue);
    closers.push(() => worker.stop());
  } catch (error) {
    return failed(evidenceOf('worker', 'the in-process worker refused to start', error));
  }
  return { ready: { client, opened, searchAttributes, inProcess }, evidence: [], searchAttributes, embeddings, close };
}

const WORKER_READY_TIMEOUT_MS = 120_000;

/** Starts the contract's worker with the stack's endpoints under the names it reads, and waits until it polls. */
function startContractWorker(options: SetupOptions, queries: NamespaceQueries): Promise<WorkerUnderTest> {
  const { contract } = options;
  const worker = contract.worker;
  if (!worker?.command) throw new Error('the worker contract names no worker command');
  const { delivery } = contract.document;
  const base = { runId: options.runId, phase: options.phase.id };
  const vars = {
    ...stackVariables(options.loaded.stack, contract),
    ...base,
    bucket: delivery.kind === 's3' ? renderTemplate(delivery.bucket, base) : '',
    prefix: delivery.kind === 's3' ? renderTemplate(delivery.prefix, base) : '',
    folder: delivery.kind === 'folder' ? renderTemplate(delivery.path, base) : '',
  };
  return startWorkerUnderTest({
    worker: { ...worker, command: worker.command },
    phase: options.phase.id,
    vars,
    projectDir: options.loaded.stack.projectDir,
    isPolling: async () => !(await externalWorkerEvidence(queries, options.namespace, options.taskQueue)),
    readyTimeoutMs: WORKER_READY_TIMEOUT_MS,
    clock: options.clock,
    processEnv: process.env,
  });
}

/** Starts in-process workers with the phase's activities; the workflow bundle is built once. */
function inProcessWorkers(
  connection: NativeConnection,
  opened: OpenedEnvironment,
  options: SetupOptions,
  faults: FaultInjector,
): (taskQueue: string) => Promise<RunningWorker> {
  let bundle: WorkflowBundle | undefined;
  return async (taskQueue) => {
    const activities = createActivities(opened.activityDeps(faults));
    bundle ??= await bundleIngestionWorkflows();
    const worker = await createIngestionWorker({
      connection,
      namespace: options.namespace,
      taskQueue,
      activities: options.mapActivities?.(activities) ?? activities,
      bundle,
    });
    const running = worker.run();
    // A worker whose server went away (`apex down`) fails its run(): the phase's watch reports that, not a crash.
    running.catch(() => undefined);
    let stopped = false;
    return {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        worker.shutdown();
        await running;
      },
    };
  };
}
