/**
 * The one typed result of a phase run. Every report (INDEX.md, ISSUES.md, FIXES.md, results.json, junit.xml,
 * report.html) renders from it; templates/schemas/results.schema.json documents it.
 */
import type { RunCounts } from './store-writer.js';
import type { Distribution } from './stats.js';

export const RESULTS_SCHEMA_VERSION = 1;

export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface Check {
  name: string;
  expected: string;
  actual: string;
  passed: boolean;
}

/** Evidence of one kind of failure, grouped across the workflows that showed it. */
export interface FailureEvidence {
  /** Where it came from: a workflow history, the worker, a store, the client. */
  source: 'history' | 'worker' | 'store' | 'client' | 'verification';
  summary: string;
  /** Verbatim lines: failure messages, causes, event excerpts. */
  lines: string[];
  /** How many workflows showed it (0 when not about workflows). */
  workflows: number;
  exampleWorkflowId?: string;
}

export interface TimelinePoint {
  /** Seconds since the test's first intended start. */
  second: number;
  completed: number;
  failed: number;
}

export interface TestMetrics {
  workflowsPlanned: number;
  workflowsStarted: number;
  workflowsCompleted: number;
  workflowsFailed: number;
  /** Planned but never started, or started and never closed. */
  workflowsNotRun: number;
  /** Completed as the test expects (e.g. the saga test expects compensated failures). */
  successRate: number;
  durationMs: number;
  throughputWorkflowsPerSecond: number;
  stateTransitions: number;
  stateTransitionsPerSecond: number;
  transitionsPerWorkflow: number;
  activityRetries: number;
  /** Intended start → close, from histories. */
  endToEndMs?: Distribution;
  /** Intended start → first workflow task started, from histories. */
  schedulingMs?: Distribution;
  /** Raw end-to-end latencies, for the histogram. */
  endToEndSamplesMs: number[];
  schedulingSamplesMs: number[];
  timeline: TimelinePoint[];
  expectedCounts?: RunCounts;
  actualCounts?: Partial<RunCounts>;
}

export interface TestResult {
  name: string;
  description: string;
  status: TestStatus;
  /** Why it failed or was skipped, in one line. */
  reason?: string;
  /** The run id every workflow of the test carried (rows, nodes, points, keys, objects). */
  runId: string;
  checks: Check[];
  evidence: FailureEvidence[];
  metrics: TestMetrics;
}

export interface Diagnosis {
  /** Knowledge-base signature id, or "unmatched". */
  signature: string;
  title: string;
  cause: string;
  fix: string;
  tests: string[];
  evidence: FailureEvidence[];
}

export interface PhaseSummary {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  workflowsExecuted: number;
  workflowsSucceeded: number;
  throughputWorkflowsPerSecond: number;
  stateTransitionsPerSecond: number;
  transitionsPerWorkflow: number;
  successRate: number;
  endToEndMs?: Distribution;
  schedulingMs?: Distribution;
}

export type Decision = 'proceed' | 'blocked';

export interface PhaseRunResult {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  phase: string;
  title: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  environment: {
    temporalAddress: string;
    namespace: string;
    taskQueue: string;
    workflowType: string;
    worker: 'in-process' | 'external';
    embeddings: string;
    searchAttributes: boolean;
    apexVersion: string;
    node: string;
  };
  options: { workflows?: number; concurrency?: number; durationSeconds?: number; localCpuSteps: boolean; localStoreWrites: boolean; eagerStart: boolean };
  /** Errors before any test could run (worker refused to start, store unreachable). */
  setupEvidence: FailureEvidence[];
  tests: TestResult[];
  summary: PhaseSummary;
  diagnoses: Diagnosis[];
  decision: Decision;
  recommendation: string;
}
