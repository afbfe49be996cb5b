import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { ContractStore } from '../../../src/contracts/schema.js';
import { cleanRun, finishRunData, removeWorkloadData } from '../../../src/phases/run-cleanup.js';
import { openRunLedger } from '../../../src/phases/run-ledger.js';
import type { StoreQueries } from '../../../src/phases/store-verification.js';
import type { Check, TestResult } from '../../../src/results/run-result.js';
import { testStatus } from '../../../src/phases/verification.js';

const contract = configSchema.parse({ contract: 'apex-memory' }).contract;

interface Item {
  store: ContractStore;
  /** The run id or document uuid it is keyed on. */
  tag: string;
  /** Text of the cleanup statement that selects it (a table, a key prefix). */
  in: string;
}

/** Stores holding items keyed on a run id or a document uuid; a cleanup statement matches the ones its text and variables name. */
function fakeStores(items: Item[], down: ContractStore[] = []) {
  const matches = (store: ContractStore, query: object, vars: Readonly<Record<string, unknown>>) => (item: Item) =>
    item.store === store &&
    JSON.stringify(query).includes(item.in) &&
    (item.tag === vars.documentUuid || (vars.documentUuid === undefined && item.tag === vars.runId));
  const refuse = (store: ContractStore) => {
    if (down.includes(store)) throw Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:1 (${store})`), { code: 'ECONNREFUSED' });
  };
  const queries: Pick<StoreQueries, 'remove' | 'removable'> = {
    removable: async (store, statements) => {
      refuse(store);
      return statements.reduce((total, { query, vars }) => total + items.filter(matches(store, query, vars)).length, 0);
    },
    remove: async (store, query, vars) => {
      refuse(store);
      const removed = items.filter(matches(store, query, vars));
      for (const item of removed) items.splice(items.indexOf(item), 1);
      return removed.length;
    },
  };
  return { items, queries };
}

function ledgerWithRun(keepData = false) {
  const ledger = openRunLedger(undefined, { runId: '2d-a', phase: '2d', startedAt: new Date(), contract, keepData });
  ledger.record({ kind: 'workload', runId: '2d-a-saga', deliveryVars: { bucket: 'b', prefix: 'load-test' } });
  for (const [n, uuid] of [
    ['0', 'u0'],
    ['1', undefined],
  ] as const) {
    ledger.record({ kind: 'document', runId: '2d-a-saga', workflowId: `wf-${n}`, vars: { runId: '2d-a-saga', n } });
    ledger.record({ kind: 'started', runId: '2d-a-saga', workflowId: `wf-${n}` });
    if (uuid) ledger.record({ kind: 'wrote', runId: '2d-a-saga', workflowId: `wf-${n}`, documentUuid: uuid });
  }
  return ledger;
}

/** Data of the run (postgres rows and s3 objects by run id, the rest by uuid) beside another run's. */
const seeded = (): Item[] => [
  { store: 'postgres', tag: '2d-a-saga', in: 'DELETE FROM chunks' },
  { store: 'postgres', tag: '2d-a-saga', in: 'DELETE FROM documents' },
  { store: 'neo4j', tag: 'u0', in: 'Document' },
  { store: 'redis', tag: 'u0', in: 'doc:' },
  { store: 's3', tag: '2d-a-saga', in: 'load-test' },
  { store: 'postgres', tag: '2d-other', in: 'DELETE FROM documents' },
  { store: 'neo4j', tag: 'u-other', in: 'Document' },
];

const passed: Check = { name: 'workflows completed', expected: '≥ 2/2', actual: '2/2', passed: true };
const testResult = (status: TestResult['status']) => ({ status }) as TestResult;

describe("removing a run's data from its ledger", () => {
  it("removes exactly the run's data, counts it before and after, and records the workload clean", async () => {
    const ledger = ledgerWithRun();
    const stores = fakeStores(seeded());
    const tally = await cleanRun(ledger.state(), stores.queries, (entry) => ledger.record(entry));
    expect(tally.before).toEqual({ postgres: 2, neo4j: 1, qdrant: 0, redis: 1, s3: 1 });
    expect(tally.left).toEqual({ postgres: 0, neo4j: 0, qdrant: 0, redis: 0, s3: 0 });
    expect(tally.failures).toEqual([]);
    // wf-1 never returned its uuid: what the worker keyed on it cannot be found, and the report says so.
    expect(tally.documentsWithoutUuid).toBe(1);
    expect(stores.items.map((item) => `${item.store} ${item.tag}`)).toEqual(['postgres 2d-other', 'neo4j u-other']);
    expect(ledger.state().workloads[0].left).toEqual(tally.left);
  });

  it('cleans every test, failed or passed, and adds nothing to a verdict when the stores answered', async () => {
    const ledger = ledgerWithRun();
    const stores = fakeStores(seeded());
    const verdict = { checks: [{ ...passed, passed: false }], evidence: [] };
    const ctx = {
      keepData: false,
      ledger,
      environment: { stores: { ...stores.queries, count: async () => 0 }, upload: async () => undefined, verifies: '', close: async () => undefined },
    };
    expect(await removeWorkloadData(ctx, '2d-a-saga', verdict)).toBe(verdict);
    expect(stores.items).toHaveLength(2);
  });

  it('keeps the data under --keep-data, and the run says what it kept', async () => {
    const ledger = ledgerWithRun(true);
    const stores = fakeStores(seeded());
    const ctx = {
      keepData: true,
      ledger,
      environment: { stores: { ...stores.queries, count: async () => 0 }, upload: async () => undefined, verifies: '', close: async () => undefined },
    };
    await removeWorkloadData(ctx, '2d-a-saga', { checks: [passed], evidence: [] });
    const data = await finishRunData(ledger, stores.queries, [testResult('passed')]);
    expect(stores.items).toHaveLength(7);
    expect(data).toMatchObject({ status: 'kept', leftAfterCleanup: { postgres: 2, neo4j: 1, redis: 1, s3: 1 } });
  });

  it("a store that does not answer fails the test naming it, the others are cleaned, and the run is 'not-removed'", async () => {
    const ledger = ledgerWithRun();
    const stores = fakeStores(seeded(), ['redis']);
    const ctx = {
      keepData: false,
      ledger,
      environment: { stores: { ...stores.queries, count: async () => 0 }, upload: async () => undefined, verifies: '', close: async () => undefined },
    };
    const verdict = await removeWorkloadData(ctx, '2d-a-saga', { checks: [passed], evidence: [] });
    expect(testStatus(verdict.checks)).toEqual({
      status: 'failed',
      reason: 'data of run 2d-a-saga removed: expected removed, got not removed: redis: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1 (redis)',
    });
    expect(verdict.evidence[0]).toMatchObject({ source: 'store', summary: 'the data of run 2d-a-saga could not be removed from redis' });
    expect(stores.items.map((item) => item.store)).toEqual(['redis', 'postgres', 'neo4j']);
    const data = await finishRunData(ledger, stores.queries, [testResult('failed')]);
    expect(data.status).toBe('not-removed');
    expect(data.failures).toEqual([{ store: 'redis', reason: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1 (redis)' }]);
    expect(ledger.state().ended).toBe('failed');
  });

  it('an interrupted run says so in its ledger, whatever its tests', async () => {
    const ledger = ledgerWithRun();
    await finishRunData(ledger, undefined, [testResult('passed')], true);
    expect(ledger.state().ended).toBe('interrupted');
  });

  it('a run without real stores (2C) has nothing to clean later', async () => {
    const ledger = ledgerWithRun();
    const data = await finishRunData(ledger, undefined, [testResult('passed')]);
    expect(data.status).toBe('no-stores');
    expect(ledger.state().workloads[0].left).toEqual({});
  });
});
