import type { Check, TestResult } from '../results/run-result.js';
import type { PhaseContext } from './phase-context.js';
import type { TestDefinition } from './phase-definition.js';
import { removePassedRunData } from './run-cleanup.js';
import { assessWorkload, testStatus, type Expectation } from './verification.js';
import { runWorkload, type WorkloadRun, type WorkloadSpec } from './workload.js';

export interface WorkloadTestOptions<T> {
  name: string;
  description: string;
  skipReason?: (ctx: PhaseContext) => string | undefined;
  spec(ctx: PhaseContext, thresholds: T): WorkloadSpec;
  expectation(thresholds: T): Expectation;
  /** Test-specific checks beside the standard ones (latency, throughput, retries...). */
  extraChecks?(run: WorkloadRun, result: Pick<TestResult, 'metrics'>, thresholds: T, spec: WorkloadSpec): Check[];
}

/** A test that runs one workload, verifies it in every store, and adds its own checks. */
export function workloadTest<T>(options: WorkloadTestOptions<T>): TestDefinition<T> {
  return {
    name: options.name,
    description: options.description,
    skipReason: options.skipReason,
    async run(ctx, thresholds) {
      const spec = options.spec(ctx, thresholds);
      const run = await runWorkload(ctx, spec);
      const { checks, evidence, metrics } = assessWorkload(run, options.expectation(thresholds));
      checks.push(...(options.extraChecks?.(run, { metrics }, thresholds, spec) ?? []));
      const verdict = await removePassedRunData(ctx, run.runId, { checks, evidence });
      return { ...testStatus(verdict.checks), runId: run.runId, checks: verdict.checks, evidence: verdict.evidence, metrics };
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
