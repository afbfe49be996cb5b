import { availableParallelism, hostname } from 'node:os';
import type { LoadedStack } from '../config/stack-context.js';
import type { WorkerContract } from '../contracts/schema.js';
import { errorMessage } from '../errors.js';
import type { IngestionActivities, IngestionOptions } from '../results/ingestion-contract.js';
import { resolveEndpoint, serviceByName } from '../services/catalog.js';
import { temporalAddress } from '../services/temporal/client.js';
import { diagnose, interruptionDiagnosis } from './diagnosis/diagnosis.js';
import { fixEndpoints } from './diagnosis/fix-endpoints.js';
import { systemClock, type Clock } from './load-generator.js';
import type { LiveProgress, PhaseContext, PhaseOverrides, WorkerMode } from './phase-context.js';
import type { PhaseDefinition, TestDefinition } from './phase-definition.js';
import { evidenceOf, setUpPhase, type PhaseSetup, type ReadyPhase } from './phase-setup.js';
import {
  RESULTS_SCHEMA_VERSION,
  type FailureEvidence,
  type Interruption,
  type PhaseRunResult,
  type RunData,
  type TestMetrics,
  type TestResult,
} from '../results/run-result.js';
import { createPhaseInterruption, DEFAULT_GRACE_SECONDS, describeInterruption, type InterruptionCause, type PhaseInterruption } from './phase-interruption.js';
import { watchStack } from './stack-watch.js';
import { standInsOf } from './stand-ins.js';
import { summarisePhase } from './summary.js';
import { finishRunData } from './run-cleanup.js';
import { ledgerPath, openRunLedger, type RunLedger } from './run-ledger.js';
import { parseThresholds } from './thresholds.js';

export interface RunPhaseOptions {
  loaded: LoadedStack;
  phase: PhaseDefinition;
  overrides?: PhaseOverrides;
  /** A worker already polls the contract's queue: apex starts none. */
  externalWorker?: boolean;
  /** Transition levers passed to every workflow; local CPU steps on by default. */
  workflowOptions?: IngestionOptions;
  eagerStart?: boolean;
  keepData?: boolean;
  /** Where the run's reports go: its ledger is written there as it runs (in memory only without one). */
  reportsRoot?: string;
  /** Only these tests (names); all when empty. */
  tests?: readonly string[];
  progress: LiveProgress;
  clock?: Clock;
  apexVersion?: string;
  /** Aborts on SIGINT/SIGTERM (its reason names the signal): the phase ends early with a report marked interrupted. */
  signal?: AbortSignal;
  /** Seconds the workflows in flight get to finish once the phase is interrupted. */
  graceSeconds?: number;
  /** Tests only: changes the in-process worker's activities (e.g. a deliberate name mismatch). */
  mapActivities?: (activities: IngestionActivities) => object;
}

export const newRunId = (phase: string, now: Date): string =>
  `${phase}-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'z')
    .toLowerCase()}-${Math.random().toString(36).slice(2, 6)}`;

const noMetrics = (): TestMetrics => ({
  workflowsPlanned: 0,
  workflowsStarted: 0,
  workflowsCompleted: 0,
  workflowsFailed: 0,
  workflowsNotRun: 0,
  successRate: 0,
  expectedFailures: 0,
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

/** What one run fixes before its first test: ids, queue, worker kind and the workflow levers. */
interface RunPlan {
  runId: string;
  startedAt: Date;
  clock: Clock;
  contract: WorkerContract;
  namespace: string;
  taskQueue: string;
  workflowType: string;
  worker: WorkerMode;
  localCpuSteps: boolean;
  localStoreWrites: boolean;
  eagerStart: boolean;
  ledger: RunLedger;
}

/**
 * Which worker serves the run: --external-worker means one already polls; a contract with a worker command has apex
 * start it; a contract that apex's own worker serves (its faults are injected in-process) runs in the apex process;
 * any other contract needs its worker already polling.
 */
function workerMode(contract: WorkerContract, externalWorker: boolean): WorkerMode {
  if (externalWorker) return 'external';
  if (contract.worker?.command) return 'started';
  return contract.faults?.kind === 'in-process' ? 'in-process' : 'external';
}

function planRun(options: RunPhaseOptions): RunPlan {
  const clock = options.clock ?? systemClock;
  const startedAt = new Date(clock.now());
  const runId = newRunId(options.phase.id, startedAt);
  const { contract } = options.loaded.config;
  const worker = workerMode(contract, options.externalWorker ?? false);
  // Both transition levers pay on the dev server (measured in bench/ingestion.bench.ts): on by default.
  const levers: IngestionOptions = { localCpuSteps: true, localStoreWrites: true, ...options.workflowOptions };
  return {
    runId,
    startedAt,
    clock,
    contract,
    namespace: contract.temporal.namespace,
    // The in-process worker polls a queue of its own: another worker on the shared queue would steal its workflows
    // (and write them elsewhere). A worker under test serves the contract's queue.
    taskQueue: worker === 'in-process' ? `${contract.temporal.taskQueue}-${runId}` : contract.temporal.taskQueue,
    workflowType: contract.temporal.workflowType,
    worker,
    localCpuSteps: levers.localCpuSteps !== false,
    localStoreWrites: levers.localStoreWrites !== false,
    eagerStart: (options.eagerStart ?? true) && worker === 'in-process',
    ledger: openRunLedger(options.reportsRoot && ledgerPath(options.reportsRoot, options.phase.id, startedAt), {
      runId,
      phase: options.phase.id,
      startedAt,
      contract,
      keepData: options.keepData ?? false,
    }),
  };
}

/** The result of a test that did not run its body: skipped, aborted, or blocked by setup. */
const unrun = (test: TestDefinition<unknown>, runId: string, status: 'failed' | 'skipped', reason: string, evidence: FailureEvidence[] = []): TestResult => ({
  name: test.name,
  description: test.description,
  runId: `${runId}-?`,
  status,
  reason,
  checks: [],
  evidence,
  metrics: noMetrics(),
});

/** Runs one test in its own context; whatever it registered with onTestEnd runs after it, pass or fail. */
async function runTest(test: TestDefinition<unknown>, ctx: Omit<PhaseContext, 'onTestEnd'>, thresholds: unknown, progress: LiveProgress): Promise<TestResult> {
  const testCleanups: (() => Promise<void>)[] = [];
  const context: PhaseContext = { ...ctx, onTestEnd: (cleanup) => void testCleanups.push(cleanup) };
  const skip = test.skipReason?.(context);
  if (skip) {
    progress.testStarted(test.name, 0);
    return unrun(test, ctx.runId, 'skipped', skip);
  }
  try {
    return { name: test.name, description: test.description, ...(await test.run(context, thresholds)) };
  } catch (error) {
    return unrun(test, ctx.runId, 'failed', `the test itself failed: ${errorMessage(error)}`, [evidenceOf('client', `${test.name} aborted`, error)]);
  } finally {
    for (const cleanup of testCleanups) await cleanup().catch(() => undefined);
  }
}

function testContext(plan: RunPlan, ready: ReadyPhase, options: RunPhaseOptions, interruption: PhaseInterruption): Omit<PhaseContext, 'onTestEnd'> {
  return {
    interruption,
    phase: options.phase.id,
    runId: plan.runId,
    client: ready.client,
    namespace: plan.namespace,
    taskQueue: plan.taskQueue,
    workflowType: plan.workflowType,
    contract: plan.contract,
    projectDir: options.loaded.stack.projectDir,
    worker: plan.worker,
    faults: ready.inProcess?.faults,
    startWorker: ready.inProcess?.startWorker,
    environment: ready.opened.environment,
    clock: plan.clock,
    progress: options.progress,
    overrides: options.overrides ?? {},
    localCpuSteps: plan.localCpuSteps,
    localStoreWrites: plan.localStoreWrites,
    eagerStart: plan.eagerStart,
    searchAttributes: ready.searchAttributes,
    keepData: options.keepData ?? false,
    ledger: plan.ledger,
  };
}

/** A failed test run by a worker apex started carries the worker's last lines, for ISSUES.md. */
function withWorkerLog(result: TestResult, ready: ReadyPhase): TestResult {
  const started = ready.workerUnderTest;
  if (result.status !== 'failed' || !started) return result;
  const lines = started.logTail(30);
  if (lines.length === 0) return result;
  return {
    ...result,
    evidence: [
      ...result.evidence,
      {
        source: 'worker',
        summary: `the last lines of the worker under test (${started.command})${started.alive ? '' : ', which exited'}`,
        lines,
        workflows: 0,
      },
    ],
  };
}

/**
 * Runs the selected tests one by one; when setup failed, each fails with the setup's evidence instead, and once the
 * phase is interrupted, each test left fails as not run.
 */
async function runTests(plan: RunPlan, setup: PhaseSetup, options: RunPhaseOptions, interruption: PhaseInterruption): Promise<TestResult[]> {
  const { phase, progress } = options;
  const thresholds = parseThresholds(options.loaded.config, phase.id, phase.thresholds);
  const selected = phase.tests.filter((test) => !options.tests?.length || options.tests.includes(test.name));
  const tests: TestResult[] = [];
  for (const test of selected) {
    let result: TestResult;
    const interrupted = interruption.cause;
    if (interrupted) {
      result = unrun(test, plan.runId, 'failed', `not run: ${describeInterruption(interrupted)}`);
    } else if (setup.ready) {
      result = withWorkerLog(await runTest(test, testContext(plan, setup.ready, options, interruption), thresholds, progress), setup.ready);
      progress.testFinished(result);
    } else {
      result = unrun(test, plan.runId, 'failed', `not run: ${setup.evidence[0]?.summary ?? 'setup failed'}`, setup.evidence);
    }
    tests.push(result);
  }
  return tests;
}

function recommendation(phase: PhaseDefinition, decision: PhaseRunResult['decision'], summary: PhaseRunResult['summary'], interrupted?: Interruption): string {
  if (interrupted)
    return `Do not proceed: ${describeInterruption(interrupted)}. Fix the first issue in ISSUES.md, then re-run \`apex test phase ${phase.id}\`.`;
  if (decision === 'proceed') return phase.nextStep;
  if (summary.workflowsExecuted === 0)
    return `Do not proceed: no workflow ran, so nothing was validated. Fix the cause in ISSUES.md, then re-run \`apex test phase ${phase.id}\`.`;
  return `Do not proceed: ${summary.failed} test(s) failed. Fix the causes in ISSUES.md, then re-run \`apex test phase ${phase.id}\`.`;
}

/**
 * Interrupts the phase on a signal, or once a service it uses stops answering (watched only while tests run, after a
 * setup that succeeded). Returns what stops the watching.
 */
function watchForInterruption(plan: RunPlan, setup: PhaseSetup, options: RunPhaseOptions, interruption: PhaseInterruption): () => Promise<void> {
  const startedAt = plan.startedAt.getTime();
  const interrupt = (cause: InterruptionCause): void => {
    if (interruption.cause) return;
    interruption.interrupt(cause);
    options.progress.note(`${describeInterruption(cause)}: no new workflow starts; those in flight get ${Math.round(interruption.graceMs / 1000)} s`);
  };
  const onSignal = (): void => {
    const name = String(options.signal?.reason ?? 'a signal');
    interrupt({
      reason: 'signal',
      atMs: Math.max(0, plan.clock.now() - startedAt),
      evidence: { source: 'client', summary: `${name} received`, lines: [`${name}: the run was stopped by its user`], workflows: 0 },
      fix: `Re-run \`apex test phase ${options.phase.id}\` when ready.`,
    });
  };
  if (options.signal?.aborted) onSignal();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  const watch = setup.ready
    ? watchStack({
        stack: options.loaded.stack,
        services: options.phase.services.map(serviceByName),
        startedAt,
        now: () => plan.clock.now(),
        onDown: interrupt,
      })
    : undefined;
  return async () => {
    options.signal?.removeEventListener('abort', onSignal);
    await watch?.stop();
  };
}

/**
 * Runs one phase: connects, starts the in-process worker (unless external), runs each test, verifies in every
 * store, and returns the one typed result every report renders. Setup failures fail every test, with evidence:
 * a phase that ran nothing is never a success.
 */
export async function runPhase(options: RunPhaseOptions): Promise<PhaseRunResult> {
  const { loaded, phase } = options;
  const plan = planRun(options);
  const endpoint = resolveEndpoint(loaded.config, serviceByName('temporal'));
  const setup = await setUpPhase({
    loaded,
    phase,
    endpoint,
    namespace: plan.namespace,
    taskQueue: plan.taskQueue,
    runId: plan.runId,
    clock: plan.clock,
    contract: plan.contract,
    worker: plan.worker,
    mapActivities: options.mapActivities,
  });
  const interruption = createPhaseInterruption((options.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000);
  const stopWatching = watchForInterruption(plan, setup, options, interruption);
  let tests: TestResult[] = [];
  let data: RunData | undefined;
  try {
    tests = await runTests(plan, setup, options, interruption);
  } finally {
    await stopWatching();
    // What no test removed (a test cut short) goes now, while the stores are open; what is left is counted.
    data = await finishRunData(plan.ledger, setup.ready?.opened.environment.stores, tests, interruption.cause !== undefined);
    await setup.close();
    interruption.dispose();
  }
  const cause = interruption.cause;
  const interrupted = cause && { reason: cause.reason, store: cause.store, atMs: cause.atMs };

  const finishedAt = new Date(plan.clock.now());
  const standIns = setup.ready ? await standInsOf(loaded, phase.services) : [];
  const summary = summarisePhase(tests);
  const decision = summary.failed === 0 && summary.passed > 0 && summary.workflowsExecuted > 0 ? 'proceed' : 'blocked';
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    phase: phase.id,
    title: phase.title,
    runId: plan.runId,
    startedAt: plan.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - plan.startedAt.getTime(),
    environment: {
      temporalAddress: temporalAddress(endpoint),
      namespace: plan.namespace,
      taskQueue: plan.taskQueue,
      workflowType: plan.workflowType,
      worker: plan.worker,
      contract: plan.contract.label,
      verifies: setup.ready?.opened.environment.verifies ?? '',
      embeddings: setup.embeddings,
      searchAttributes: setup.searchAttributes,
      standIns,
      apexVersion: options.apexVersion ?? 'dev',
      node: process.version,
      machine: `${hostname()}, ${availableParallelism()} CPUs`,
    },
    options: {
      workflows: options.overrides?.workflows,
      concurrency: options.overrides?.concurrency,
      durationSeconds: options.overrides?.durationMs === undefined ? undefined : options.overrides.durationMs / 1000,
      localCpuSteps: plan.localCpuSteps,
      localStoreWrites: plan.localStoreWrites,
      eagerStart: plan.eagerStart,
    },
    setupEvidence: setup.evidence,
    tests,
    summary,
    diagnoses: [
      ...(cause ? [interruptionDiagnosis(cause, interruption.graceMs, tests)] : []),
      ...diagnose({ setupEvidence: setup.evidence, tests }, fixEndpoints(loaded.stack)),
    ],
    decision,
    recommendation: recommendation(phase, decision, summary, interrupted),
    interrupted,
    data,
  };
}
