import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ContractQueryError } from '../../../src/contracts/query-error.js';
import type { TemplateVariables } from '../../../src/contracts/render.js';
import type { ContractStore } from '../../../src/contracts/schema.js';
import { cleanupStores, preflightStores, verifyStores, type StoreQueryRunner, type VerifiedDocument } from '../../../src/phases/store-verification.js';

const apexMemory = configSchema.parse({ contract: 'apex-memory' }).contract;

/** Stores as a table of what each query matches per document uuid (or per run), recording every query made. */
function fakeStores(found: (store: ContractStore, query: string, vars: TemplateVariables) => number) {
  const asked: string[] = [];
  const count: StoreQueryRunner = async (store, query, vars) => {
    const text = JSON.stringify(query);
    asked.push(`${store} ${String(vars.documentUuid ?? vars.runId)}`);
    return found(store, text, vars);
  };
  return { asked, count };
}

const document = (n: number, ended: VerifiedDocument['ended'], uuid?: string): VerifiedDocument => ({
  workflowId: `wf-${n}`,
  ended,
  vars: { runId: 'r1', documentName: `load-test-r1-doc-0000${n}.txt`, ...(uuid ? { documentUuid: uuid } : {}) },
});

const runVars = { runId: 'r1', phase: '2d', bucket: 'apex-documents-test', prefix: 'load-test', completed: 2, uploaded: 3 };

describe("the stores verified through the worker contract's queries", () => {
  it('passes when every succeeded document is present in every store and the rolled-back one is absent', async () => {
    const documents = [document(1, 'succeeded', 'u1'), document(2, 'succeeded', 'u2'), document(3, 'failed', 'u3')];
    const stores = fakeStores((store, query, vars) => {
      if (query.includes('FROM documents WHERE file_name LIKE')) return 2;
      if (store === 's3') return 3;
      return vars.documentUuid === 'u3' || vars.documentName === 'load-test-r1-doc-00003.txt' ? 0 : 1;
    });
    const { checks, evidence } = await verifyStores(apexMemory, stores.count, runVars, documents);
    expect(evidence).toEqual([]);
    expect(checks.every((check) => check.passed)).toBe(true);
    expect(checks.map((check) => check.name)).toContain('neo4j: Document node (per succeeded document)');
    expect(checks.find((check) => check.name === 'redis: document cache key (rolled back) (per failed document)')).toMatchObject({
      expected: '1/1 absent',
      actual: '1/1',
    });
    expect(checks.find((check) => check.name === 's3: uploaded documents')).toMatchObject({ expected: '3', actual: '3' });
  });

  it('a document missing from one store fails that check, naming the workflow and what was found', async () => {
    const documents = [document(1, 'succeeded', 'u1'), document(2, 'succeeded', 'u2')];
    const stores = fakeStores((store, _query, vars) => (store === 'qdrant' && vars.documentUuid === 'u2' ? 0 : store === 's3' ? 3 : 2));
    const { checks, evidence } = await verifyStores(apexMemory, stores.count, runVars, documents);
    expect(checks.filter((check) => !check.passed).map((check) => [check.name, check.actual])).toEqual([
      ['qdrant: points of the document (per succeeded document)', '1/2'],
    ]);
    expect(evidence).toEqual([
      {
        source: 'verification',
        summary: 'qdrant: points of the document: 1 of 2 documents are not as expected (≥ 1)',
        lines: ['wf-2: expected ≥ 1, found 0'],
        workflows: 1,
      },
    ]);
  });

  it('a succeeded result without the uuid its checks need fails; a failed one that never had a uuid has nothing to look up', async () => {
    const documents = [document(1, 'succeeded'), document(2, 'failed')];
    const stores = fakeStores((store) => (store === 's3' ? 3 : 0));
    const { checks } = await verifyStores(apexMemory, stores.count, { ...runVars, completed: 0 }, documents);
    expect(checks.find((check) => check.name === 'neo4j: Document node (per succeeded document)')).toMatchObject({ actual: '0/1', passed: false });
    expect(checks.find((check) => check.name === 'neo4j: Document node (rolled back) (per failed document)')).toMatchObject({
      expected: '0/0 absent',
      passed: true,
    });
    expect(stores.asked.filter((asked) => asked.startsWith('neo4j'))).toEqual([]);
  });

  it('a query that fails is a failed check with the store, the query and the error: never a pass, never a zero', async () => {
    const refused: StoreQueryRunner = async (store) => {
      if (store === 'postgres') throw new ContractQueryError('postgres', 'SELECT …', 'relation "documents" does not exist');
      return 1;
    };
    const { checks, evidence } = await verifyStores(apexMemory, refused, runVars, [document(1, 'succeeded', 'u1')]);
    // Every postgres check that had a document to look up failed (the rolled-back check had none).
    const postgres = checks.filter((check) => check.name.startsWith('postgres') && !check.name.includes('(rolled back)'));
    expect(postgres).toHaveLength(3);
    expect(postgres.every((check) => !check.passed)).toBe(true);
    expect(evidence.map((item) => item.summary)).toContain('postgres: the contract\'s query "documents row" failed: relation "documents" does not exist');
    const problems = await preflightStores(apexMemory, refused, { runId: 'apex-preflight', phase: '2d' });
    expect(problems).toEqual([
      expect.objectContaining({
        source: 'store',
        summary: 'postgres: not ready before the phase',
        lines: expect.arrayContaining(['postgres: relation "documents" does not exist']),
      }),
    ]);
  });

  it('cleans up run-scope statements once and document-scope ones per document that knows their variables', async () => {
    const removed: string[] = [];
    const remove: StoreQueryRunner = async (store, _query, vars) => {
      removed.push(`${store}:${String(vars.documentUuid ?? vars.runId)}`);
      return 1;
    };
    await cleanupStores(apexMemory.cleanup, remove, runVars, [document(1, 'succeeded', 'u1'), document(2, 'failed')]);
    expect(removed.sort()).toEqual(['neo4j:u1', 'postgres:r1', 'postgres:r1', 'qdrant:u1', 'redis:u1', 'redis:u1', 's3:r1']);
  });
});
