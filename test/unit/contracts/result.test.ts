import { describe, expect, it } from 'vitest';
import { checkApplies, checkExpectation } from '../../../src/contracts/expectations.js';
import { fieldAt, readResult } from '../../../src/contracts/result.js';
import { parseConfigText } from '../../../src/config/load-config.js';

const resultSpec = (name: string) => parseConfigText(`contract: ${name}\n`, 'apex.config.yaml').contract.result;

describe('reading a workflow result through the contract', () => {
  it('reads dotted field paths', () => {
    expect(fieldAt({ a: { b: [1, 2] } }, 'a.b')).toEqual([1, 2]);
    expect(fieldAt({ a: 'text' }, 'a.b')).toBeUndefined();
    expect(fieldAt(null, 'a')).toBeUndefined();
  });

  it("apex-memory: a completed workflow that returns status failed is a failure, with the worker's reason", () => {
    const spec = resultSpec('apex-memory');
    expect(
      readResult(spec, {
        status: 'success',
        document_id: 'd.txt',
        uuid: 'u-1',
        databases_written: ['postgres', 'neo4j', 'qdrant', 'redis'],
        workflow_status: 'completed',
      }),
    ).toEqual({
      succeeded: true,
      documentUuid: 'u-1',
      stores: ['postgres', 'neo4j', 'qdrant', 'redis'],
      counts: {},
      missingFields: [],
    });
    expect(readResult(spec, { status: 'failed', document_id: 'd.txt', error: 'write to qdrant failed; rolled back', workflow_status: 'failed' })).toEqual({
      succeeded: false,
      failureReason: 'write to qdrant failed; rolled back',
      counts: {},
      missingFields: [],
    });
  });

  it('names the declared fields a result lacks, so a worker with another shape is diagnosed instead of miscounted', () => {
    expect(readResult(resultSpec('apex-memory'), { documentUuid: 'u', chunks: 3 })).toMatchObject({ succeeded: false, missingFields: ['status', 'error'] });
    expect(readResult(resultSpec('reference'), { status: 'success', uuid: 'u' })).toMatchObject({
      succeeded: true,
      missingFields: ['documentUuid', 'stores', 'chunks', 'entities'],
    });
  });

  it("reference: a completed execution succeeded, and the result's exact counts are read", () => {
    expect(readResult(resultSpec('reference'), { documentUuid: 'u-2', documentType: 'md', chunks: 4, entities: 7, stores: ['postgres'] })).toEqual({
      succeeded: true,
      documentUuid: 'u-2',
      stores: ['postgres'],
      counts: { chunks: 4, entities: 7 },
      missingFields: [],
    });
  });
});

describe('expectations of a verify check', () => {
  const vars = { completed: 5, expectedChunks: '12' };
  it('compares a count with a number or a variable', () => {
    expect(checkExpectation({ equals: '{completed}' }, 5, vars)).toEqual({ expected: '5', passed: true });
    expect(checkExpectation({ equals: '{expectedChunks}' }, 11, vars)).toEqual({ expected: '12', passed: false });
    expect(checkExpectation({ atLeast: 1 }, 3, vars)).toEqual({ expected: '≥ 1', passed: true });
    expect(checkExpectation({ atLeast: 1 }, 0, vars)).toEqual({ expected: '≥ 1', passed: false });
    expect(checkExpectation({ present: true }, 0, vars).passed).toBe(false);
    expect(checkExpectation({ absent: true }, 0, vars)).toEqual({ expected: 'absent (0)', passed: true });
    expect(() => checkExpectation({ equals: '{missing}' }, 0, vars)).toThrow(/uses \{missing\}/);
  });

  it('applies a check only to the documents its `when` names', () => {
    expect(checkApplies({ when: 'failed' }, 'succeeded')).toBe(false);
    expect(checkApplies({ when: 'failed' }, 'failed')).toBe(true);
    expect(checkApplies({}, 'failed')).toBe(true);
  });
});
