import type { WorkerContract } from '../contracts/schema.js';
import type { Check, TestMetrics, TestResult } from '../results/run-result.js';
import type { PhaseContext } from './phase-context.js';
import type { TestDefinition } from './phase-definition.js';
import { describeInterruption } from './phase-interruption.js';
import { removeWorkloadData } from './run-cleanup.js';
import { verifyStores } from './store-verification.js';
import { assessWorkload, runVariables, testStatus, verifiedDocuments, type Assessment, type Expectation } from './verification.js';
import { runWorkload, type WorkloadRun, type WorkloadSpec } from './workload.js';

export interface WorkloadTestOptions<T> {
  name: string;
  description: string;
  skipReason?: (ctx: PhaseContext) => string | undefined;
  spec(ctx: PhaseContext, thresholds: T): WorkloadSpec;
  expectation(thresholds: T): Expectation;
  /** Test-specific checks beside the standard ones (latency, throughput, retries...). */
  extraChecks?(run: WorkloadRun, result: Pick<TestResult, 'metrics'>, thresholds: T, spec: WorkloadSpec, contract: WorkerContract): Check[];
}

/**
 * Assesses a run from its results and histories, verifies what it left in every store the contract queries, and
 * removes that data, passed or failed (unless --keep-data).
 */
export async function verifyWorkload(
  ctx: PhaseContext,
  run: WorkloadRun,
  expectation: Expectation,
  extraChecks: (metrics: TestMetrics) => Check[] = () => [],
): Promise<Assessment> {
  const { checks, evidence, metrics } = assessWorkload(run, expectation, ctx.contract);
  const documents = verifiedDocuments(run, ctx.contract);
  // A uuid read from the history (a returned failure's) is known only now: the ledger needs it for the cleanup.
  run.outcomes.forEach((outcome, index) => {
    const { documentUuid } = documents[index].vars;
    if (typeof documentUuid === 'string' && outcome.read?.documentUuid === undefined)
      ctx.ledger.record({ kind: 'wrote', runId: run.runId, workflowId: outcome.workflowId, documentUuid });
  });
  const runVars = runVariables(run, ctx.phase, documents);
  const { stores } = ctx.environment;
  const interrupted = ctx.interruption.cause;
  if (interrupted) {
    // The stores are not queried: one of them is gone, and what is left of the run is for its cleanup to count.
    checks.push({ name: 'the run went uninterrupted', expected: 'no interruption', actual: describeInterruption(interrupted), passed: false });
    return { checks, evidence, metrics };
  }
  if (stores) {
    const verified = await verifyStores(ctx.contract, stores.count, runVars, documents);
    checks.push(...verified.checks);
    evidence.push(...verified.evidence);
  }
  checks.push(...extraChecks(metrics));
  return removeWorkloadData(ctx, run.runId, { checks, evidence, metrics });
}

/** A test that runs one workload, verifies it in every store the contract queries, and adds its own checks. */
export function workloadTest<T>(options: WorkloadTestOptions<T>): TestDefinition<T> {
  return {
    name: options.name,
    description: options.description,
    skipReason: options.skipReason,
    async run(ctx, thresholds) {
      const spec = options.spec(ctx, thresholds);
      const run = await runWorkload(ctx, spec);
      const verdict = await verifyWorkload(
        ctx,
        run,
        options.expectation(thresholds),
        (metrics) => options.extraChecks?.(run, { metrics }, thresholds, spec, ctx.contract) ?? [],
      );
      return { ...testStatus(verdict.checks), runId: run.runId, checks: verdict.checks, evidence: verdict.evidence, metrics: verdict.metrics };
    },
  };
}

export const atMost = (name: string, actual: number | undefined, limit: number, unit = 'ms'): Check => ({
  name,
  expected: `≤ ${limit} ${unit}`,
  actual: actual === undefined ? 'not measured' : `${actual.toFixed(1)} ${unit}`,
  passed: actual !== undefined && actual <= limit,
});

export const atLeast = (name: string, actual: number | undefined, limit: number, unit: string): Check => ({
  name,
  expected: `≥ ${limit} ${unit}`,
  actual: actual === undefined ? 'not measured' : `${actual.toFixed(2)} ${unit}`,
  passed: actual !== undefined && actual >= limit,
});

/** The workflow count of a test: --workflows wins over the configured size. */
export const sized = (ctx: PhaseContext, configured: number): number => ctx.overrides.workflows ?? configured;
