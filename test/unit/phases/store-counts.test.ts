import { describe, expect, it } from 'vitest';
import { countWith, describeStoreError } from '../../../src/phases/store-counts.js';
import { verifyRunCounts } from '../../../src/phases/verification.js';

const answering = {
  postgres: async () => ({ documents: 2, chunks: 4, entities: 9 }),
  neo4j: async () => ({ graphDocuments: 2, mentions: 9 }),
  qdrant: async () => ({ points: 4 }),
  redis: async () => ({ cacheKeys: 2 }),
  s3: async () => ({ objects: 2 }),
};

describe('counting a run in the stores', () => {
  it("merges every store's counts", async () => {
    expect(await countWith('run-1', answering)).toEqual({
      counts: { documents: 2, chunks: 4, entities: 9, graphDocuments: 2, mentions: 9, points: 4, cacheKeys: 2, objects: 2 },
      errors: [],
    });
  });

  it('a store that does not answer is evidence naming it and its error, and its counts stay unknown', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6333'), { code: 'ECONNREFUSED' });
    const { counts, errors } = await countWith('run-2', { ...answering, qdrant: () => Promise.reject(refused) });
    expect(counts).not.toHaveProperty('points');
    expect(errors).toEqual([
      { source: 'store', summary: 'qdrant: cannot count run run-2', lines: ['qdrant: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:6333'], workflows: 0 },
    ]);
    const unknown = verifyRunCounts({ documents: 2, chunks: 4, entities: 9, graphDocuments: 2, mentions: 9, points: 4, cacheKeys: 2, objects: 2 }, counts);
    expect(unknown.filter((check) => !check.passed)).toEqual([{ name: 'qdrant: points', expected: '4', actual: 'not counted', passed: false }]);
  });

  it('describes a store error by its class, code and message, without repeating a plain Error', () => {
    class Neo4jError extends Error {
      override name = 'Neo4jError';
      code = 'ServiceUnavailable';
    }
    expect(describeStoreError(new Neo4jError('Could not perform discovery'))).toBe('Neo4jError: ServiceUnavailable: Could not perform discovery');
    expect(describeStoreError(new Error('relation "chunks" does not exist'))).toBe('relation "chunks" does not exist');
  });
});
