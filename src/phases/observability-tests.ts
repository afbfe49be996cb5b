import type { LoadedStack } from '../config/stack-context.js';
import type { WorkerContract } from '../contracts/schema.js';
import { errorMessage } from '../errors.js';
import type { LiveStack } from '../observability/live-stack.js';
import type { CheckOutcome } from '../observability/metric-checks.js';
import type { CorpusDocument } from './corpus.js';
import type { PhaseContext } from './phase-context.js';
import type { EnvironmentRun, OpenedEnvironment, TestDefinition } from './phase-definition.js';
import { phase2d } from './phase-2d.js';
import {
  observabilityOf,
  openObservabilitySession,
  type ObservabilityEnvironment,
  type ObservabilitySession,
  type ObservabilitySettings,
} from './observability-session.js';
import type { StoreName } from '../results/ingestion-contract.js';
import type { FailureEvidence, TestResult } from '../results/run-result.js';
import { testStatus, workloadMetrics, type Assessment } from './verification.js';
import { verifyWorkload } from './workload-test.js';
import { runWorkload, type WorkloadRun, type WorkloadSpec } from './workload.js';

export type TestOutcome = Omit<TestResult, 'name' | 'description'>;

/** A test of phase 2E or 2F: a name, what it proves, how, and why it cannot run in a context (if it may not). */
export const test = <T>(name: string, description: string, run: TestDefinition<T>['run'], skipReason?: TestDefinition<T>['skipReason']): TestDefinition<T> => ({
  name,
  description,
  run,
  skipReason,
});

/** Metrics of a test that runs no workflow of its own (a metrics or rules check). */
export const noWorkflowMetrics = (): TestResult['metrics'] =>
  workloadMetrics({ runId: '', planned: 0, outcomes: [], uploaded: 0, deliveryVars: {}, firstIntendedStart: 0, allSubmittedAt: 0 }, { minSuccessRate: 1 });

/** A test made of checks only: passes when every check holds (and there is at least one). */
export function checksOutcome(runId: string, outcome: CheckOutcome, metrics: TestResult['metrics'] = noWorkflowMetrics()): TestOutcome {
  const checks = outcome.checks.length > 0 ? outcome.checks : [{ name: 'checks made', expected: '≥ 1', actual: '0', passed: false }];
  return { ...testStatus(checks), runId, checks, evidence: outcome.evidence, metrics };
}

/** A check test that could not even look (Prometheus did not start, the worker refused to start...). */
export function abortedOutcome(runId: string, summary: string, error: unknown, logTail: readonly string[] = []): TestOutcome {
  const evidence: FailureEvidence = { source: 'verification', summary, lines: [...errorMessage(error).split('\n'), ...logTail].slice(0, 20), workflows: 0 };
  return {
    status: 'failed',
    reason: `${summary}: ${errorMessage(error).split('\n')[0]}`,
    runId,
    checks: [],
    evidence: [evidence],
    metrics: noWorkflowMetrics(),
  };
}

/**
 * Runs `body` with the phase's Prometheus + Alertmanager up (and apex's worker process when the session measures it,
 * unless the test starts it itself); a stack that cannot start fails the test with why, instead of aborting the phase.
 */
export async function withLiveStack(
  ctx: PhaseContext,
  label: string,
  body: (session: ObservabilitySession, live: LiveStack) => Promise<TestOutcome>,
  options: { startWorker: boolean } = { startWorker: true },
): Promise<TestOutcome> {
  const session = observabilityOf(ctx.environment);
  let live: LiveStack;
  try {
    [live] = await Promise.all([session.live(), options.startWorker ? session.serving() : undefined]);
  } catch (error) {
    return abortedOutcome(`${ctx.runId}-${label}`, 'The observability stack did not start', error);
  }
  return body(session, live);
}

/**
 * The 2D environment (S3 and the real stores, for uploads and counts) plus the observability session that 2E and
 * 2F measure their worker and run their private Prometheus and Alertmanager in.
 */
export async function openObservabilityEnvironment(loaded: LoadedStack, settings: ObservabilitySettings, run: EnvironmentRun): Promise<OpenedEnvironment> {
  const opened = await phase2d.openEnvironment(loaded, run);
  const observability = await openObservabilitySession({ loaded, run, settings, clock: run.clock });
  const environment: ObservabilityEnvironment = {
    ...opened.environment,
    observability,
    close: async () => {
      await observability.close();
      await opened.environment.close();
    },
  };
  return { ...opened, environment };
}

/** A document no parser accepts: its workflow fails, non-retryably, in parse_document. Failure injected by input. */
export async function unsupportedDocument(index: number): Promise<CorpusDocument> {
  return {
    documentId: `unsupported-${String(index).padStart(5, '0')}.apexbin`,
    body: new TextEncoder().encode(`binary-looking payload ${index}`),
    contentType: 'application/x-apex-unsupported',
    expected: { chunks: 0, entities: 0 },
  };
}

export const INJECTED_FAILURE_TYPE = 'UnsupportedDocumentType';

export interface AssessedRun {
  run: WorkloadRun;
  assessment: Assessment;
}

/**
 * How the failing-by-design documents of a workload fail: a store write that the contract's `faults` line makes fail
 * (the worker's saga rolls it back), or else, when the measured worker cannot be told to fail that way, a document
 * no parser accepts.
 */
export const failingByDesign = (contract: WorkerContract, store: StoreName): Pick<WorkloadSpec, 'document' | 'failingStore'> =>
  contract.faults?.kind === 'document-line' && contract.saga ? { failingStore: store } : { document: unsupportedDocument };

/** Runs a workload on the measured worker's queue and verifies it as 2D does; passing runs are cleaned up. */
export async function runAssessedWorkload(ctx: PhaseContext, spec: WorkloadSpec, failing: boolean): Promise<AssessedRun> {
  // Every step as a regular activity: failures and latencies then show in the activity metrics the rules and
  // dashboards read (local activities have metrics of their own).
  const run = await runWorkload({ ...ctx, localCpuSteps: false, localStoreWrites: false }, spec);
  const failure = spec.failingStore ? { compensated: true } : { failureType: INJECTED_FAILURE_TYPE };
  const assessment = await verifyWorkload(ctx, run, failing ? { minSuccessRate: 1, ...failure } : { minSuccessRate: 1 });
  return { run, assessment };
}

/** Prefixes each check of a sub-run, so two workloads in one test stay apart in the report. */
export const labelled = (label: string, assessment: Assessment): Assessment => ({
  ...assessment,
  checks: assessment.checks.map((check) => ({ ...check, name: `${label}: ${check.name}` })),
});
