import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { ApexError } from '../errors.js';
import { ACTIVITY_NAMES } from '../results/ingestion-contract.js';

/** workflows.js next to this file once built; workflows.ts when run from source (tests, bin/dev.js). */
export function workflowsPath(): string {
  const built = fileURLToPath(new URL('./workflows.js', import.meta.url));
  return existsSync(built) ? built : fileURLToPath(new URL('./workflows.ts', import.meta.url));
}

export type WorkflowBundle = Awaited<ReturnType<typeof bundleWorkflowCode>>;

/** Bundling takes seconds: do it once and give the bundle to every worker of a run. */
export const bundleIngestionWorkflows = (): Promise<WorkflowBundle> =>
  bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error },
  });

/** Activity names the workflow calls that are not registered (exactly, case and all). */
export function missingActivities(activities: object): string[] {
  return ACTIVITY_NAMES.filter((name) => typeof (activities as Record<string, unknown>)[name] !== 'function');
}

export function activityNameMismatchError(missing: readonly string[], registered: readonly string[]): ApexError {
  return new ApexError(
    'ACTIVITY_NAME_MISMATCH',
    `The worker does not register ${missing.length} activit${missing.length === 1 ? 'y' : 'ies'} the workflow calls: ${missing.join(', ')}.`,
    'Register each activity under exactly the name the workflow calls (TypeScript: the key in the activities object; ' +
      'Python: @activity.defn(name="...")). Every workflow would otherwise fail on its first activity.',
    1,
    [`registered: ${registered.join(', ') || '(none)'}`],
  );
}

export interface IngestionWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Activity functions keyed by the name they are registered under. */
  activities: object;
  bundle?: WorkflowBundle;
  /** Worker tuning passed through (slots, pollers, eager activity reservations). */
  tuning?: Partial<
    Pick<
      WorkerOptions,
      | 'maxConcurrentActivityTaskExecutions'
      | 'maxConcurrentWorkflowTaskExecutions'
      | 'maxConcurrentLocalActivityExecutions'
      | 'maxEagerActivityReservationsPerWorkflowTask'
      | 'maxCachedWorkflows'
    >
  >;
}

/**
 * The reference worker. It refuses to start when an activity the workflow calls is not registered under that
 * exact name: otherwise every workflow fails on its first activity while tests can still look green.
 */
export async function createIngestionWorker(options: IngestionWorkerOptions): Promise<Worker> {
  const missing = missingActivities(options.activities);
  if (missing.length > 0) throw activityNameMismatchError(missing, Object.keys(options.activities));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.bundle ? { workflowBundle: options.bundle } : { workflowsPath: workflowsPath() }),
    ...options.tuning,
  });
}
