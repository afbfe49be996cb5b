import type { Client } from '@temporalio/client';
import type { FaultInjector } from '../ingestion/fault-injection.js';
import type { RunCounts } from '../results/store-writer.js';
import type { CorpusDocument } from './corpus.js';
import type { Clock } from './load-generator.js';
import type { FailureEvidence, TestResult } from '../results/run-result.js';

/** Where a phase's documents live and what it counts: S3 and the real stores (2D) or memory (2C). */
export interface PhaseEnvironment {
  bucket: string;
  upload(key: string, document: CorpusDocument): Promise<void>;
  /** Exact counts of one run in every store; a store that cannot be counted is evidence, not a zero. */
  counts(runId: string): Promise<{ counts: Partial<RunCounts>; errors: FailureEvidence[] }>;
  /** Removes what one run left behind, once verified. */
  cleanup(runId: string): Promise<void>;
  close(): Promise<void>;
}

export interface LiveProgress {
  testStarted(name: string, planned: number | undefined): void;
  workflowClosed(ok: boolean): void;
  testFinished(result: TestResult): void;
  note(message: string): void;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

export interface PhaseOverrides {
  workflows?: number;
  concurrency?: number;
  durationMs?: number;
}

export interface PhaseContext {
  phase: string;
  runId: string;
  client: Client;
  namespace: string;
  taskQueue: string;
  workflowType: string;
  worker: 'in-process' | 'external';
  /** Planned faults reach in-process workers only. */
  faults?: FaultInjector;
  /** Starts an extra in-process worker on another task queue (the backlog test); undefined for external workers. */
  startWorker?: (taskQueue: string) => Promise<RunningWorker>;
  environment: PhaseEnvironment;
  clock: Clock;
  progress: LiveProgress;
  overrides: PhaseOverrides;
  /** Transition levers passed to every workflow (IngestionOptions). */
  localCpuSteps: boolean;
  localStoreWrites?: boolean;
  eagerStart: boolean;
  searchAttributes: boolean;
  /** Keep each passed test's rows, nodes, points, keys and objects instead of removing them. */
  keepData: boolean;
  /** Registers cleanup that runs when the current test ends (an extra worker, say). */
  onTestEnd(cleanup: () => Promise<void>): void;
}
