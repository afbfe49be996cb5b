import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { phase2d } from '../../src/phases/phase-2d.js';
import { pollUntil } from '../../src/runtime/poll.js';
import { seedStack } from '../../src/services/seeding.js';
import { connectTemporal, createTemporalClient } from '../../src/services/temporal/client.js';
import { missingDoublePython, SMALL_PHASES, startDouble } from '../support/apex-memory-double.js';
import { coreStores } from '../support/isolated-stack.js';
import { runPhaseForTest, startedWorkflowStates, statuses } from '../support/phase-run.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = (await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'])) ?? missingDoublePython();

/** True once Temporal lists a workflow on the queue; undefined when none came within the timeout. */
async function workflowStarted(client: Client, queue: string): Promise<true | undefined> {
  const listed = async (): Promise<true | undefined> => {
    for await (const _ of client.workflow.list({ query: `TaskQueue = "${queue}"`, pageSize: 1 })) return true;
    return undefined;
  };
  return pollUntil(listed, { timeoutMs: 60_000, intervalMs: 200 });
}

describe.skipIf(missing)("a phase interrupted while the team's worker hangs", () => {
  it('terminates the workflows still running after the grace: none of the run is left to write after its cleanup', { timeout: 300_000 }, async () => {
    const queue = `apex-hung-${Date.now().toString(36)}`;
    const loaded = externalStack(`${SMALL_PHASES}contract:\n  use: apex-memory\n  temporal: { taskQueue: ${queue} }\n`);
    for (const result of await seedStack(loaded.stack, coreStores())) expect(result.ok, result.error).toBe(true);
    const { namespace } = loaded.config.contract.temporal;
    const connection = await connectTemporal(loaded.stack);
    const double = await startDouble(loaded.stack, connection, { namespace, taskQueue: queue, postgresDb: 'apex_memory', bucket: 'apex-documents-test' });
    try {
      double.pause();
      const client = createTemporalClient(connection, namespace);
      const stop = new AbortController();
      // Without a started workflow the phase runs to its end, and the assertion on `interrupted` below says so.
      void workflowStarted(client, queue).then(
        (started) => started && stop.abort('SIGINT'),
        () => undefined,
      );
      const { result, reportDir } = await runPhaseForTest(loaded, {
        phase: phase2d,
        externalWorker: true,
        tests: ['test_concurrent_ingestion_real_databases'],
        overrides: { workflows: 4 },
        signal: stop.signal,
        graceSeconds: 2,
      });
      expect(result.interrupted, JSON.stringify(statuses(result))).toMatchObject({ reason: 'signal' });
      const states = await startedWorkflowStates(client, reportDir);
      expect(states.length).toBeGreaterThan(0);
      expect(new Set(states)).toEqual(new Set(['TERMINATED']));
    } finally {
      await double.stop();
      await connection.close();
    }
  });
});
