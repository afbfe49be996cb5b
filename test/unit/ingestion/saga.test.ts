import { describe, expect, it } from 'vitest';
import { runWriteSaga, type SagaStep } from '../../../src/ingestion/saga.js';
import type { StoreName } from '../../../src/results/ingestion-contract.js';

function steps(failing: StoreName[], compensationFails: StoreName[] = []): { steps: SagaStep[]; log: string[] } {
  const log: string[] = [];
  const make = (store: StoreName): SagaStep => ({
    store,
    write: async () => {
      if (failing.includes(store)) throw new Error(`${store} down`);
      log.push(`write ${store}`);
    },
    compensate: async () => {
      if (compensationFails.includes(store)) throw new Error(`${store} still down`);
      log.push(`undo ${store}`);
    },
  });
  return { steps: (['postgres', 'neo4j', 'qdrant', 'redis'] as const).map(make), log };
}

describe('write saga', () => {
  it('compensates nothing when every write succeeds', async () => {
    const { steps: all, log } = steps([]);
    const outcome = await runWriteSaga(all);
    expect(outcome).toMatchObject({ written: ['postgres', 'neo4j', 'qdrant', 'redis'], failed: [], compensated: [] });
    expect(log.filter((line) => line.startsWith('undo'))).toEqual([]);
  });

  it('compensates every store, the failed one included, when one write fails for good', async () => {
    const { steps: all, log } = steps(['neo4j']);
    const outcome = await runWriteSaga(all);
    expect(outcome.failed.map((failure) => failure.store)).toEqual(['neo4j']);
    expect(outcome.compensated).toEqual(['postgres', 'neo4j', 'qdrant', 'redis']);
    expect(log.filter((line) => line.startsWith('undo'))).toHaveLength(4);
  });

  it('names the stores whose compensation failed', async () => {
    const outcome = await runWriteSaga(steps(['redis'], ['qdrant']).steps);
    expect(outcome.compensationFailures.map((failure) => failure.store)).toEqual(['qdrant']);
  });
});
