import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/phases/diagnosis/diagnosis.js';
import { DEFAULT_FIX_ENDPOINTS } from '../../fixtures/reports/sample-results.js';
import { externalWorkerEvidence, searchAttributesRegistered, type NamespaceQueries } from '../../../src/phases/temporal-readiness.js';

/** An error shaped as the SDK's connections throw it: a gRPC status code, details and metadata. */
const grpcError = (code: number, details: string): Error => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

const answering = (answers: Partial<NamespaceQueries>): NamespaceQueries => ({
  listSearchAttributes: async () => ({ customAttributes: {} }),
  describeTaskQueue: async () => ({ pollers: [] }),
  ...answers,
});
const failing = (error: Error): NamespaceQueries =>
  answering({ listSearchAttributes: () => Promise.reject(error), describeTaskQueue: () => Promise.reject(error) });

const signaturesOf = (evidence: Parameters<typeof diagnose>[0]['setupEvidence']) =>
  diagnose({ setupEvidence: evidence, tests: [] }, DEFAULT_FIX_ENDPOINTS).map((diagnosis) => diagnosis.signature);

describe('search attributes', () => {
  it("are registered only when the namespace lists both of apex's", async () => {
    expect(
      await searchAttributesRegistered(answering({ listSearchAttributes: async () => ({ customAttributes: { ApexRunId: 2, ApexPhase: 2 } }) }), 'apex'),
    ).toEqual({ registered: true });
    expect(await searchAttributesRegistered(answering({ listSearchAttributes: async () => ({ customAttributes: { ApexRunId: 2 } }) }), 'apex')).toEqual({
      registered: false,
    });
  });

  it('a failed request is evidence with its gRPC status, diagnosed as what it is, not "not registered"', async () => {
    const answer = await searchAttributesRegistered(failing(grpcError(5, 'Namespace nope is not found.')), 'nope');
    expect(answer).toEqual({
      evidence: expect.objectContaining({
        source: 'client',
        summary: 'Temporal RPC ListSearchAttributes failed in namespace nope: NOT_FOUND: Namespace nope is not found.',
      }),
    });
    if (!('evidence' in answer)) throw new Error('expected evidence');
    expect(signaturesOf([answer.evidence])).toEqual(['temporal-namespace-missing']);
  });
});

describe('an external worker', () => {
  it('is missing only when DescribeTaskQueue answers with no pollers', async () => {
    const none = await externalWorkerEvidence(answering({}), 'apex', 'apex-ingestion');
    expect(none?.summary).toBe('no worker is polling task queue apex-ingestion in namespace apex');
    expect(signaturesOf([none!])).toEqual(['no-worker-polling']);
    expect(
      await externalWorkerEvidence(answering({ describeTaskQueue: async () => ({ pollers: [{ identity: 'worker@host' }] }) }), 'apex', 'apex-ingestion'),
    ).toBeUndefined();
  });

  it.each([
    [16, 'Request unauthorized.', 'UNAUTHENTICATED: Request unauthorized.', 'temporal-rpc-denied'],
    [7, 'Namespace apex is not accessible.', 'PERMISSION_DENIED: Namespace apex is not accessible.', 'temporal-rpc-denied'],
    [5, 'Namespace apex is not found.', 'NOT_FOUND: Namespace apex is not found.', 'temporal-namespace-missing'],
    [14, 'tcp connect error: Connection refused', 'UNAVAILABLE: tcp connect error: Connection refused', 'store-unreachable'],
    [13, 'internal error', 'INTERNAL: internal error', 'temporal-rpc-failed'],
  ])('a request that fails with gRPC %i is reported with its status, never as "no worker is polling"', async (code, details, status, signature) => {
    const evidence = await externalWorkerEvidence(failing(grpcError(code, details)), 'apex', 'apex-ingestion');
    expect(evidence).toMatchObject({ source: 'client', summary: `Temporal RPC DescribeTaskQueue(apex-ingestion) failed in namespace apex: ${status}` });
    expect(signaturesOf([evidence!])).toEqual([signature]);
  });

  it('a failure that is not a gRPC answer keeps its own message', async () => {
    const evidence = await externalWorkerEvidence(failing(new Error('socket hang up')), 'apex', 'apex-ingestion');
    expect(evidence?.lines).toEqual(['DescribeTaskQueue(apex-ingestion): socket hang up']);
  });
});
