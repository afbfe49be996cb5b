import { describe, expect, it } from 'vitest';
import { describeStoreError } from '../../../src/phases/store-errors.js';

describe('store errors in one line', () => {
  it('describes a store error by its class, code and message, without repeating a plain Error', () => {
    class Neo4jError extends Error {
      override name = 'Neo4jError';
      code = 'ServiceUnavailable';
    }
    expect(describeStoreError(new Neo4jError('Could not perform discovery'))).toBe('Neo4jError: ServiceUnavailable: Could not perform discovery');
    expect(describeStoreError(new Error('relation "chunks" does not exist'))).toBe('relation "chunks" does not exist');
  });
});
