import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import proto from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import type { LoadedStack } from '../config/stack-context.js';
import { SEARCH_ATTRIBUTE_NAMES } from '../config/search-attributes.js';
import { ApexError, errorMessage } from '../errors.js';
import { createActivities } from '../ingestion/activities/index.js';
import type { IngestionActivities, IngestionOptions } from '../results/ingestion-contract.js';
import { createFaultInjector } from '../ingestion/fault-injection.js';
import { connectWorkerNative } from '../ingestion/temporal-connection.js';
import { bundleIngestionWorkflows, createIngestionWorker, type WorkflowBundle } from '../ingestion/worker.js';
import { installWorkerRuntime } from '../ingestion/worker-runtime.js';
import { resolveEndpoint, serviceByName } from '../services/catalog.js';
import { temporalAddress } from '../services/temporal/client.js';
import { diagnose } from './diagnosis/diagnosis.js';
import { fixEndpoints } from './diagnosis/fix-endpoints.js';
import { systemClock, type Clock } from './load-generator.js';
import type { LiveProgress, PhaseContext, PhaseOverrides, RunningWorker } from './phase-context.js';
import type { OpenedEnvironment, PhaseDefinition } from './phase-definition.js';
import { RESULTS_SCHEMA_VERSION, type FailureEvidence, type PhaseRunResult, type TestMetrics, type TestResult } from '../results/run-result.js';
import { summarisePhase } from './summary.js';
import { parseThresholds } from './thresholds.js';

export interface RunPhaseOptions {
  loaded: LoadedStack;
  phase: PhaseDefinition;
  overrides?: PhaseOverrides;
  /** The team's own worker serves the queue: no in-process worker, no fault injection. */
  externalWorker?: boolean;
  /** Transition levers passed to every workflow; local CPU steps on by default. */
  workflowOptions?: IngestionOptions;
  eagerStart?: boolean;
  keepData?: boolean;
  /** Only these tests (names); all when empty. */
  tests?: readonly string[];
  progress: LiveProgress;
  clock?: Clock;
  apexVersion?: string;
  /** Tests only: changes the in-process worker's activities (e.g. a deliberate name mismatch). */
  mapActivities?: (activities: IngestionActivities) => object;
}

export const newRunId = (phase: string, now: Date): string =>
  `${phase}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}-${Math.random().toString(36).slice(2, 6)}`;

const emptyMetrics = (planned: number): TestMetrics => ({
  workflowsPlanned: planned,
  workflowsStarted: 0,
  workflowsCompleted: 0,
  workflowsFailed: 0,
  workflowsNotRun: planned,
  successRate: 0,
  durationMs: 0,
  throughputWorkflowsPerSecond: 0,
  stateTransitions: 0,
  stateTransitionsPerSecond: 0,
  transitionsPerWorkflow: 0,
  activityRetries: 0,
  endToEndSamplesMs: [],
  schedulingSamplesMs: [],
  timeline: [],
});

const evidenceOf = (source: FailureEvidence['source'], summary: string, error: unknown): FailureEvidence => ({
  source,
  summary,
  lines: error instanceof ApexError ? [error.message, ...error.details] : [errorMessage(error), ...(error instanceof Error && error.cause ? [`cause: ${errorMessage(error.cause)}`] : [])],
  workflows: 0,
});

async function namespaceHasSearchAttributes(client: Client, namespace: string): Promise<boolean> {
  try {
    const response = await client.connection.operatorService.listSearchAttributes({ namespace });
    const custom = response.customAttributes ?? {};
    return SEARCH_ATTRIBUTE_NAMES.every((name) => name in custom);
  } catch {
    return false;
  }
}

async function queueHasPollers(client: Client, namespace: string, taskQueue: string): Promise<boolean> {
  const response = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW });
  return (response.pollers ?? []).length > 0;
}

/**
 * Runs one phase: connects, starts the in-process worker (unless external), runs each test, verifies in every
 * store, and returns the one typed result every report renders. Setup failures fail every test, with evidence:
 * a phase that ran nothing is never a success.
 */
export async function runPhase(options: RunPhaseOptions): Promise<PhaseRunResult> {
  const { loaded, phase, progress } = options;
  const { config } = loaded;
  const thresholds = parseThresholds(config, phase.id, phase.thresholds);
  const clock = options.clock ?? systemClock;
  const startedAt = new Date(clock.now());
  const runId = newRunId(phase.id, startedAt);
  const { namespace, workflowType } = config.ingestion;
  const external = options.externalWorker ?? false;
  // The in-process worker polls a queue of its own: another worker on the shared queue would steal its workflows
  // (and write them elsewhere). An external worker serves the configured queue.
  const taskQueue = external ? config.ingestion.taskQueue : `${config.ingestion.taskQueue}-${runId}`;
  const endpoint = resolveEndpoint(config, serviceByName('temporal'));
  const setupEvidence: FailureEvidence[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  let opened: OpenedEnvironment | undefined;
  let connection: NativeConnection | undefined;
  let client: Client | undefined;
  let searchAttributes = false;
  let bundle: WorkflowBundle | undefined;
  const faults = external ? undefined : createFaultInjector();
  // Both transition levers pay on the dev server (measured in bench/ingestion.bench.ts): on by default.
  const workflowOptions: IngestionOptions = { localCpuSteps: true, localStoreWrites: true, ...options.workflowOptions };

  // Activity failures are the phases' evidence, read from histories: the worker need not print them.
  installWorkerRuntime({ logLevel: 'ERROR' });
  try {
    connection = await connectWorkerNative(endpoint);
    cleanups.push(() => connection!.close());
    client = new Client({ connection, namespace });
    searchAttributes = await namespaceHasSearchAttributes(client, namespace);
  } catch (error) {
    setupEvidence.push(evidenceOf('client', `Temporal is unreachable at ${temporalAddress(endpoint)}`, error));
  }
  if (client) {
    try {
      opened = await phase.openEnvironment(loaded);
      cleanups.push(() => opened!.environment.close());
      setupEvidence.push(...opened.problems);
    } catch (error) {
      setupEvidence.push(evidenceOf('store', 'the phase environment could not be opened', error));
    }
  }

  const startWorker = async (queue: string): Promise<RunningWorker> => {
    const activities = createActivities(opened!.activityDeps(faults!));
    bundle ??= await bundleIngestionWorkflows();
    const worker: Worker = await createIngestionWorker({ connection: connection!, namespace, taskQueue: queue, activities: options.mapActivities?.(activities) ?? activities, bundle });
    const running = worker.run();
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

  if (client && opened && setupEvidence.length === 0) {
    if (!external) {
      try {
        const worker = await startWorker(taskQueue);
        cleanups.unshift(() => worker.stop());
      } catch (error) {
        setupEvidence.push(evidenceOf('worker', 'the in-process worker refused to start', error));
      }
    } else if (!(await queueHasPollers(client, namespace, taskQueue).catch(() => false))) {
      setupEvidence.push({ source: 'worker', summary: `no worker is polling task queue ${taskQueue} in namespace ${namespace}`, lines: [`--external-worker was given, and DescribeTaskQueue(${taskQueue}) lists no pollers`], workflows: 0 });
    }
  }

  const selected = phase.tests.filter((test) => !options.tests?.length || options.tests.includes(test.name));
  const tests: TestResult[] = [];
  for (const test of selected) {
    const base = { name: test.name, description: test.description, runId: `${runId}-?`, checks: [], evidence: [] };
    if (setupEvidence.length > 0 || !client || !opened) {
      tests.push({ ...base, status: 'failed', reason: `not run: ${setupEvidence[0]?.summary ?? 'setup failed'}`, evidence: setupEvidence, metrics: emptyMetrics(0) });
      continue;
    }
    const testCleanups: (() => Promise<void>)[] = [];
    const ctx: PhaseContext = {
      phase: phase.id,
      runId,
      client,
      namespace,
      taskQueue,
      workflowType,
      worker: external ? 'external' : 'in-process',
      faults,
      startWorker: external ? undefined : startWorker,
      environment: opened.environment,
      clock,
      progress,
      overrides: options.overrides ?? {},
      localCpuSteps: workflowOptions.localCpuSteps !== false,
      localStoreWrites: workflowOptions.localStoreWrites !== false,
      eagerStart: (options.eagerStart ?? true) && !external,
      searchAttributes,
      keepData: options.keepData ?? false,
      onTestEnd: (cleanup) => void testCleanups.push(cleanup),
    };
    const skip = test.skipReason?.(ctx);
    let result: TestResult;
    if (skip) {
      result = { ...base, status: 'skipped', reason: skip, metrics: emptyMetrics(0) };
      progress.testStarted(test.name, 0);
    } else {
      try {
        result = { name: test.name, description: test.description, ...(await test.run(ctx, thresholds)) };
      } catch (error) {
        result = { ...base, status: 'failed', reason: `the test itself failed: ${errorMessage(error)}`, evidence: [evidenceOf('client', `${test.name} aborted`, error)], metrics: emptyMetrics(0) };
      } finally {
        for (const cleanup of testCleanups) await cleanup().catch(() => undefined);
      }
    }
    tests.push(result);
    progress.testFinished(result);
  }
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);

  const finishedAt = new Date(clock.now());
  const partial = { setupEvidence, tests };
  const summary = summarisePhase(tests);
  const decision = summary.failed === 0 && summary.passed > 0 && summary.workflowsExecuted > 0 ? 'proceed' : 'blocked';
  const diagnoses = diagnose(partial, fixEndpoints(loaded.stack));
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    phase: phase.id,
    title: phase.title,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    environment: {
      temporalAddress: temporalAddress(endpoint),
      namespace,
      taskQueue,
      workflowType,
      worker: external ? 'external' : 'in-process',
      embeddings: opened?.embeddings ?? 'n/a',
      searchAttributes,
      apexVersion: options.apexVersion ?? 'dev',
      node: process.version,
    },
    options: {
      workflows: options.overrides?.workflows,
      concurrency: options.overrides?.concurrency,
      durationSeconds: options.overrides?.durationMs === undefined ? undefined : options.overrides.durationMs / 1000,
      localCpuSteps: workflowOptions.localCpuSteps !== false,
      localStoreWrites: workflowOptions.localStoreWrites !== false,
      eagerStart: (options.eagerStart ?? true) && !external,
    },
    setupEvidence,
    tests,
    summary,
    diagnoses,
    decision,
    recommendation:
      decision === 'proceed'
        ? phase.nextStep
        : summary.workflowsExecuted === 0
          ? `Do not proceed: no workflow ran, so nothing was validated. Fix the cause in ISSUES.md, then re-run \`apex test phase ${phase.id}\`.`
          : `Do not proceed: ${summary.failed} test(s) failed. Fix the causes in ISSUES.md, then re-run \`apex test phase ${phase.id}\`.`,
  };
}
