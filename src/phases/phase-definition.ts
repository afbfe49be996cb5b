import type { z } from 'zod';
import type { ServiceName } from '../config/schema.js';
import type { WorkerContract } from '../contracts/schema.js';
import type { LoadedStack } from '../config/stack-context.js';
import type { ActivityDeps } from '../ingestion/activities/index.js';
import type { FaultInjector } from '../ingestion/fault-injection.js';
import type { Clock } from './load-generator.js';
import type { PhaseContext, PhaseEnvironment, WorkerMode } from './phase-context.js';
import type { FailureEvidence, TestResult } from '../results/run-result.js';

export interface TestDefinition<T> {
  name: string;
  description: string;
  /** Why the test cannot run in this context (e.g. it injects faults and the worker is external), or undefined. */
  skipReason?(ctx: PhaseContext): string | undefined;
  run(ctx: PhaseContext, thresholds: T): Promise<Omit<TestResult, 'name' | 'description'>>;
}

export interface OpenedEnvironment {
  environment: PhaseEnvironment;
  /** Activity dependencies for an in-process worker. */
  activityDeps(faults: FaultInjector): ActivityDeps;
  embeddings: string;
  /** Stores that could not be reached or are not migrated: every test fails with this evidence. */
  problems: FailureEvidence[];
}

/** What one run hands the environment it opens: its id (for names of its own), its clock, the worker contract and who serves it. */
export interface EnvironmentRun {
  runId: string;
  clock: Clock;
  contract: WorkerContract;
  worker: WorkerMode;
}

export interface PhaseDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  id: string;
  title: string;
  description: string;
  /** Services the phase needs running. */
  services: readonly ServiceName[];
  thresholds: S;
  tests: readonly TestDefinition<z.infer<S>>[];
  nextStep: string;
  openEnvironment(loaded: LoadedStack, run: EnvironmentRun): Promise<OpenedEnvironment>;
}
