/**
 * The minimal harness the throughput benches compare apex with: a bare client and worker on one NativeConnection,
 * no-op activities, a closed model at a fixed concurrency. It measures the server's ceiling for apex's workflow shape.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ACTIVITY_NAMES } from '../src/results/ingestion-contract.js';
import type { TemporalConnectionOptions } from '../src/services/temporal/client.js';

export interface HarnessOptions {
  /** `temporalConnectionOptions(stack)` for a stack, or the address of a bench's own dev server. */
  connection: TemporalConnectionOptions;
  namespace: string;
  workflows: number;
  concurrency: number;
  /** The four store writes as local activities (apex's default) or as remote ones. */
  localWrites: boolean;
}

/** The activities apex's workflow calls on its success path (no compensations). */
const ACTIVITIES = ACTIVITY_NAMES.filter((name) => !name.startsWith('compensate_'));

export async function runHarness(options: HarnessOptions): Promise<{ workflowsPerSecond: number }> {
  const { namespace, workflows, concurrency, localWrites } = options;
  const connection = await NativeConnection.connect(options.connection);
  const taskQueue = `apex-bench-harness-${Date.now()}`;
  const noop = async (input: unknown) => input;
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./harness-workflows.ts', import.meta.url)),
    activities: Object.fromEntries(ACTIVITIES.map((name) => [name, noop])),
  });
  const client = new Client({ connection, namespace });
  let next = 0;
  const started = Date.now();
  await worker.runUntil(
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < workflows) {
          const index = next++;
          await client.workflow.execute('HarnessWorkflow', {
            taskQueue,
            workflowId: `${taskQueue}-${index}`,
            args: [{ documentId: `doc-${index}`, localWrites }],
            requestEagerStart: true,
          });
        }
      }),
    ),
  );
  await connection.close();
  return { workflowsPerSecond: (workflows * 1000) / (Date.now() - started) };
}
