import type { Client } from '@temporalio/client';
import type { WorkerContract } from '../contracts/schema.js';
import type { FaultInjector } from '../ingestion/fault-injection.js';
import type { CorpusDocument } from './corpus.js';
import type { RunLedger } from './run-ledger.js';
import type { StoreQueries } from './store-verification.js';
import type { Clock } from './load-generator.js';
import type { PhaseInterruption } from './phase-interruption.js';
import type { TestResult } from '../results/run-result.js';

/** Where a phase's documents go and which stores it verifies: S3 and the real stores (2D), or neither (2C). */
export interface PhaseEnvironment {
  /** Puts a document into the phase's S3 (the real one, or the in-process worker's memory). */
  upload(bucket: string, key: string, document: CorpusDocument): Promise<void>;
  /** The stores the contract's checks query; undefined when the phase verifies by results and histories only. */
  stores?: StoreQueries;
  /** What the phase verifies, in one line for the reports. */
  verifies: string;
  close(): Promise<void>;
}

/** in-process: apex's reference worker in this process; external: a worker already polls; started: apex starts the contract's worker. */
export type WorkerMode = 'in-process' | 'external' | 'started';

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
  /** What the phase drives and verifies: arguments, result fields, store queries. */
  contract: WorkerContract;
  /** Where relative folders of the contract are taken from (the config file's directory). */
  projectDir: string;
  worker: WorkerMode;
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
  /** Keep each test's rows, nodes, points, keys and objects instead of removing them. */
  keepData: boolean;
  /** Aborts when the phase must end early (a service stopped answering, a signal): start nothing more. */
  interruption: PhaseInterruption;
  /** What the run wrote, recorded as it goes, so that its data can be removed exactly (now or by `apex test clean`). */
  ledger: RunLedger;
  /** Registers cleanup that runs when the current test ends (an extra worker, say). */
  onTestEnd(cleanup: () => Promise<void>): void;
}
