import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { findLedgers, ledgerClean, ledgerPath, openRunLedger, readLedger } from '../../../src/phases/run-ledger.js';

const contract = configSchema.parse({ contract: 'apex-memory' }).contract;
const startedAt = new Date('2026-12-02T16:00:00.123Z');

function writtenLedger(keepData = false) {
  const root = mkdtempSync(join(tmpdir(), 'apex-ledger-'));
  const path = ledgerPath(root, '2d', startedAt);
  const ledger = openRunLedger(path, { runId: '2d-run', phase: '2d', startedAt, contract, keepData });
  ledger.record({ kind: 'workload', runId: '2d-run-saga', deliveryVars: { bucket: 'apex-documents-test', prefix: 'load-test' } });
  for (const n of ['00000', '00001']) {
    const workflowId = `load-test-2d-run-saga-${n}`;
    ledger.record({ kind: 'document', runId: '2d-run-saga', workflowId, vars: { runId: '2d-run-saga', n, key: `load-test/doc-${n}.txt` } });
    ledger.record({ kind: 'started', runId: '2d-run-saga', workflowId });
  }
  ledger.record({ kind: 'wrote', runId: '2d-run-saga', workflowId: 'load-test-2d-run-saga-00000', documentUuid: 'u0', stores: ['postgres'] });
  return { root, path, ledger };
}

describe('the run ledger', () => {
  it('is written line by line beside the reports, and reads back into what a cleanup needs', () => {
    const { root, path, ledger } = writtenLedger();
    expect(path).toBe(join(root, '2d', '2026-12-02T16-00-00Z', 'ledger.jsonl'));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(7);
    const state = readLedger(path);
    expect(state).toEqual(ledger.state());
    expect(state.run).toMatchObject({ runId: '2d-run', phase: '2d', contract: 'apex-memory', postgresDatabase: 'apex_memory', keepData: false });
    expect(state.run.cleanup.redis.map((statement) => statement.pattern)).toEqual(['doc:{documentUuid}', 'idempotency:ingest:{documentUuid}']);
    expect(state.workloads).toEqual([
      {
        runId: '2d-run-saga',
        deliveryVars: { bucket: 'apex-documents-test', prefix: 'load-test' },
        documents: [
          {
            workflowId: 'load-test-2d-run-saga-00000',
            vars: { runId: '2d-run-saga', n: '00000', key: 'load-test/doc-00000.txt', documentUuid: 'u0' },
            started: true,
          },
          { workflowId: 'load-test-2d-run-saga-00001', vars: { runId: '2d-run-saga', n: '00001', key: 'load-test/doc-00001.txt' }, started: true },
        ],
      },
    ]);
    expect(findLedgers(root)).toEqual([path]);
  });

  it('reads a ledger whose last line was cut short when the process died, counting the line it skipped', () => {
    const { path } = writtenLedger();
    appendFileSync(path, '{"kind":"wrote","runId":"2d-run-saga","workflowId":"load-test-2d-run-saga-00001","documentUu');
    const state = readLedger(path);
    expect(state.unreadable).toBe(1);
    expect(state.workloads[0].documents.map((document) => document.vars.documentUuid)).toEqual(['u0', undefined]);
    expect(ledgerClean(state)).toBe(false);
  });

  it('is clean once every workload was cleaned with nothing left, and not while anything is left', () => {
    const { path, ledger } = writtenLedger();
    ledger.record({ kind: 'cleaned', runId: '2d-run-saga', before: { postgres: 3 }, left: { postgres: 1 } });
    expect(ledgerClean(readLedger(path))).toBe(false);
    ledger.record({ kind: 'cleaned', runId: '2d-run-saga', before: { postgres: 1 }, left: { postgres: 0, neo4j: 0 } });
    expect(ledgerClean(readLedger(path))).toBe(true);
  });

  it('says so when the run keeps its data, and a kept run is not clean', () => {
    const { path } = writtenLedger(true);
    const state = readLedger(path);
    expect(state.kept).toBe('--keep-data');
    expect(ledgerClean(state)).toBe(false);
  });

  it('stays in memory for a run that writes no reports', () => {
    const ledger = openRunLedger(undefined, { runId: 'r', phase: '2c', startedAt, contract, keepData: false });
    ledger.record({ kind: 'workload', runId: 'r-x', deliveryVars: {} });
    expect(ledger.path).toBeUndefined();
    expect(ledger.state().workloads).toHaveLength(1);
  });
});
