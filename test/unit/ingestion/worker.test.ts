import { describe, expect, it } from 'vitest';
import type { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../../src/ingestion/activities/index.js';
import { ACTIVITY_NAMES } from '../../../src/results/ingestion-contract.js';
import { createLocalEmbedder } from '../../../src/ingestion/embeddings/local-embedder.js';
import { noFaults } from '../../../src/ingestion/fault-injection.js';
import { INGESTION_LIMITS } from '../../../src/ingestion/limits.js';
import { createIngestionWorker, missingActivities } from '../../../src/ingestion/worker.js';
import { createInMemoryStack } from '../../../src/phases/in-memory-stores.js';

const activities = () => {
  const memory = createInMemoryStack();
  return createActivities({
    documents: memory.documents,
    stores: memory.stores,
    embedder: createLocalEmbedder(),
    faults: noFaults,
    limits: INGESTION_LIMITS,
    tempDir: '/tmp/apex-unit',
  });
};

describe('reference worker registration', () => {
  it('registers every activity the workflow calls, under exactly that name', () => {
    expect(Object.keys(activities()).sort()).toEqual([...ACTIVITY_NAMES].sort());
    expect(missingActivities(activities())).toEqual([]);
  });

  it('refuses to start and names the missing activities when one is registered under another name', async () => {
    const { write_qdrant, ...rest } = activities();
    const renamed = { ...rest, writeQdrant: write_qdrant };
    expect(missingActivities(renamed)).toEqual(['write_qdrant']);
    await expect(createIngestionWorker({ connection: {} as NativeConnection, namespace: 'apex', taskQueue: 'q', activities: renamed })).rejects.toMatchObject({
      code: 'ACTIVITY_NAME_MISMATCH',
      message: expect.stringContaining('write_qdrant'),
      details: [expect.stringContaining('writeQdrant')],
    });
  });
});
