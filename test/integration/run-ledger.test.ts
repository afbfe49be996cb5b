import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedStack } from '../../src/config/stack-context.js';
import { ApexError } from '../../src/errors.js';
import { cleanRuns, listRunsWithLeftovers } from '../../src/phases/clean-runs.js';
import { phase2d } from '../../src/phases/phase-2d.js';
import { ledgerPath, readLedger } from '../../src/phases/run-ledger.js';
import { runPhase } from '../../src/phases/runner.js';
import type { PhaseRunResult } from '../../src/results/run-result.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { seedStack } from '../../src/services/seeding.js';
import { doubleWorkerSection, missingDoublePython, SMALL_PHASES } from '../support/apex-memory-double.js';
import { coreStores, storeClients, type StoreClients } from '../support/isolated-stack.js';
import { quietProgress, runPhaseForTest, statuses } from '../support/phase-run.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);

const testRunIds = (result: PhaseRunResult): string[] => result.tests.filter((test) => test.status !== 'skipped').map((test) => test.runId);

async function objectsUnder(clients: StoreClients, bucket: string, prefix: string): Promise<number> {
  const listing = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix })).catch(() => undefined);
  return listing?.KeyCount ?? 0;
}

/** What apex's reference worker wrote for these test run ids, counted through the stores' own clients. */
async function referenceData(clients: StoreClients, loaded: LoadedStack, runIds: string[]): Promise<Record<string, number>> {
  const { ingestion } = loaded.config;
  const rows = await clients.pg.query<{ n: number }>(
    'SELECT (SELECT count(*) FROM documents WHERE run_id = ANY($1)) + (SELECT count(*) FROM chunks WHERE run_id = ANY($1)) + (SELECT count(*) FROM entities WHERE run_id = ANY($1)) AS n',
    [runIds],
  );
  const nodes = await clients.neo4j.executeQuery('MATCH (d:Document) WHERE d.runId IN $runIds RETURN count(d) AS n', { runIds });
  let points = 0;
  let keys = 0;
  let objects = 0;
  for (const runId of runIds) {
    points += (await clients.qdrant.count(ingestion.qdrantCollection, { exact: true, filter: { must: [{ key: 'run_id', match: { value: runId } }] } })).count;
    keys += (await clients.redis.keys(`${ingestion.redisPrefix}doc:${runId}:*`)).length;
    objects += await objectsUnder(clients, ingestion.testBucket, `runs/${runId}/`);
  }
  return { postgres: Number(rows.rows[0].n), neo4j: Number(nodes.records[0].get('n')), qdrant: points, redis: keys, s3: objects };
}

const none = { postgres: 0, neo4j: 0, qdrant: 0, redis: 0, s3: 0 };

describe.skipIf(missing)('a run records what it wrote in its ledger, and `apex test clean` removes exactly that run (reference worker)', () => {
  let clients: StoreClients;
  const loaded = externalStack(SMALL_PHASES);
  const reportsRoot = mkdtempSync(join(tmpdir(), 'apex-ledger-reports-'));

  beforeAll(async () => {
    for (const result of await seedStack(loaded.stack, coreStores())) expect(result.ok, result.error).toBe(true);
    clients = await storeClients(loaded.stack);
  });
  afterAll(async () => {
    // A failed assertion leaves its runs behind: remove them, as the command would.
    await cleanRuns({ loaded, reportsRoot, all: true }).catch(() => undefined);
    await clients?.close();
  });

  it('two runs kept with --keep-data: cleaning one leaves zero of it in every store and the other untouched', { timeout: 300_000 }, async () => {
    const run = () =>
      runPhaseForTest(loaded, {
        phase: phase2d,
        tests: ['test_concurrent_ingestion_real_databases'],
        overrides: { workflows: 3 },
        keepData: true,
        reportsRoot,
      });
    const first = await run();
    const second = await run();
    for (const { result } of [first, second]) {
      expect(statuses(result)).toEqual({ test_concurrent_ingestion_real_databases: 'passed' });
      expect(result.data).toMatchObject({ status: 'kept', ledger: 'ledger.jsonl', failures: [] });
    }
    const firstIds = testRunIds(first.result);
    const secondIds = testRunIds(second.result);
    const before = { first: await referenceData(clients, loaded, firstIds), second: await referenceData(clients, loaded, secondIds) };
    for (const counts of Object.values(before)) for (const store of Object.keys(none)) expect(counts[store], store).toBeGreaterThan(0);
    // What --keep-data kept is what the report states (rows here include chunks and entities; the cleanup matches documents).
    expect(first.result.data?.leftAfterCleanup).toMatchObject({ neo4j: before.first.neo4j, redis: before.first.redis, s3: before.first.s3 });
    expect(first.read('INDEX.md')).toContain(`kept on purpose (--keep-data)`);
    expect(listRunsWithLeftovers(reportsRoot).runs.map((listed) => [listed.runId, listed.reason])).toEqual([
      [first.result.runId, 'kept'],
      [second.result.runId, 'kept'],
    ]);

    const cleaned = await cleanRuns({ loaded, reportsRoot, runId: first.result.runId, all: false });
    expect(cleaned.runs).toHaveLength(1);
    expect(cleaned.runs[0].leftAfterCleanup).toEqual(none);
    expect(await referenceData(clients, loaded, firstIds)).toEqual(none);
    expect(await referenceData(clients, loaded, secondIds)).toEqual(before.second);
    expect(listRunsWithLeftovers(reportsRoot).runs.map((listed) => listed.runId)).toEqual([second.result.runId]);
    // Cleaning it again finds nothing to do.
    expect((await cleanRuns({ loaded, reportsRoot, runId: first.result.runId, all: false })).runs).toEqual([]);

    await cleanRuns({ loaded, reportsRoot, all: true });
    expect(await referenceData(clients, loaded, secondIds)).toEqual(none);
    expect(listRunsWithLeftovers(reportsRoot).runs).toEqual([]);
  });

  it('a run removes its data at the end without --keep-data, and says what was left', { timeout: 300_000 }, async () => {
    const { result, read, reportDir } = await runPhaseForTest(loaded, {
      phase: phase2d,
      tests: ['test_concurrent_ingestion_real_databases'],
      overrides: { workflows: 3 },
      reportsRoot,
    });
    expect(result.data).toMatchObject({ status: 'removed', leftAfterCleanup: none, failures: [], documentsWithoutUuid: 0 });
    expect(result.data?.beforeCleanup).toMatchObject({ postgres: 3, neo4j: 3, redis: 3, s3: 3 });
    expect(await referenceData(clients, loaded, testRunIds(result))).toEqual(none);
    expect(read('INDEX.md')).toContain('removed after the run; left after cleanup: postgres 0, neo4j 0, qdrant 0, redis 0, s3 0');
    expect(readLedger(join(reportDir, 'ledger.jsonl')).ended).toBe('passed');
  });
});

const missingDouble = missing ?? missingDoublePython();

/** What the double wrote for documents of these test run ids: the uuids come from its own documents table. */
async function doubleData(clients: StoreClients, loaded: LoadedStack, runIds: string[], uuids: string[]): Promise<Record<string, number>> {
  const pool = createPostgresPool(resolveEndpoint(loaded.config, serviceByName('postgres')), { ...loaded.stack.credentials, postgresDb: 'apex_memory' }, 1);
  try {
    const patterns = runIds.map((runId) => `load-test-${runId}-doc-%`);
    const rows = await pool.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM documents WHERE file_name LIKE ANY($1)) + (SELECT count(*) FROM chunks WHERE document_uuid::text = ANY($2)) AS n',
      [patterns, uuids],
    );
    const nodes = await clients.neo4j.executeQuery('MATCH (d:Document) WHERE d.uuid IN $uuids RETURN count(d) AS n', { uuids });
    let points = 0;
    let keys = 0;
    for (const uuid of uuids) {
      points += (await clients.qdrant.count('apex_documents', { exact: true, filter: { must: [{ key: 'document_uuid', match: { value: uuid } }] } })).count;
      keys += (await clients.redis.exists(`doc:${uuid}`)) + (await clients.redis.exists(`idempotency:ingest:${uuid}`));
    }
    let objects = 0;
    for (const runId of runIds) objects += await objectsUnder(clients, 'apex-documents-test', `load-test/load-test-${runId}-`);
    return { postgres: Number(rows.rows[0].n), neo4j: Number(nodes.records[0].get('n')), qdrant: points, redis: keys, s3: objects };
  } finally {
    await pool.end();
  }
}

async function doubleUuids(loaded: LoadedStack, runIds: string[]): Promise<string[]> {
  const pool = createPostgresPool(resolveEndpoint(loaded.config, serviceByName('postgres')), { ...loaded.stack.credentials, postgresDb: 'apex_memory' }, 1);
  try {
    const { rows } = await pool.query<{ uuid: string }>('SELECT uuid::text AS uuid FROM documents WHERE file_name LIKE ANY($1)', [
      runIds.map((runId) => `load-test-${runId}-doc-%`),
    ]);
    return rows.map((row) => row.uuid);
  } finally {
    await pool.end();
  }
}

describe.skipIf(missingDouble)("runs of the team's worker (the Python double) that fail mid-run leave nothing behind", () => {
  let clients: StoreClients;
  const reportsRoot = mkdtempSync(join(tmpdir(), 'apex-ledger-double-'));
  let loaded: LoadedStack;

  beforeAll(async () => {
    loaded = externalStack(`${SMALL_PHASES}contract:\n  use: apex-memory\n${await doubleWorkerSection(`apex-ledger-${Date.now().toString(36)}`)}`);
    for (const result of await seedStack(loaded.stack, coreStores())) expect(result.ok, result.error).toBe(true);
    clients = await storeClients(loaded.stack);
  });
  afterAll(async () => {
    // A failed assertion leaves its runs behind: remove them, as the command would.
    await cleanRuns({ loaded, reportsRoot, all: true }).catch(() => undefined);
    await clients?.close();
  });

  it(
    'a run aborted after two workflows is cleaned at its end; a kept run is cleaned later, refused while Neo4j is unreachable',
    { timeout: 600_000 },
    async () => {
      // Another run's data, kept on purpose: nothing below may touch it until it is cleaned itself.
      const kept = await runPhaseForTest(loaded, {
        phase: phase2d,
        tests: ['test_concurrent_ingestion_real_databases'],
        overrides: { workflows: 2 },
        keepData: true,
        reportsRoot,
      });
      expect(statuses(kept.result)).toEqual({ test_concurrent_ingestion_real_databases: 'passed' });
      const keptIds = testRunIds(kept.result);
      const keptUuids = await doubleUuids(loaded, keptIds);
      const keptData = await doubleData(clients, loaded, keptIds, keptUuids);
      expect(keptUuids).toHaveLength(2);
      for (const store of Object.keys(none)) expect(keptData[store], store).toBeGreaterThan(0);

      // One workflow at a time, and the run dies (the test throws) when the second one closes.
      let closed = 0;
      const aborting = {
        ...quietProgress,
        workflowClosed() {
          closed++;
          if (closed >= 2) throw new Error('the run was cut short after 2 workflows');
        },
      };
      const aborted = await runPhase({
        loaded,
        phase: phase2d,
        progress: aborting,
        tests: ['test_sustained_throughput_real_db'],
        overrides: { workflows: 4, concurrency: 1 },
        reportsRoot,
      });
      expect(aborted.tests[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('the run was cut short after 2 workflows') });
      expect(aborted.data).toMatchObject({ status: 'removed', leftAfterCleanup: none, failures: [] });
      // The two documents that were ingested were found and removed: a document row in PostgreSQL, a node, points and keys each.
      expect(aborted.data?.beforeCleanup).toMatchObject({ postgres: expect.any(Number), neo4j: 2, redis: expect.any(Number), s3: 4 });
      const abortedState = readLedger(ledgerPath(reportsRoot, '2d', new Date(aborted.startedAt)));
      expect(abortedState.ended).toBe('failed');
      const abortedUuids = abortedState.workloads.flatMap((workload) => workload.documents.flatMap((document) => document.vars.documentUuid ?? []));
      expect(abortedUuids).toHaveLength(2);
      expect(await doubleData(clients, loaded, [`${aborted.runId}-sustained`], abortedUuids.map(String))).toEqual(none);
      expect(await doubleData(clients, loaded, keptIds, keptUuids)).toEqual(keptData);

      // Neo4j unreachable at clean time: the command names it, exits 1, cleans the other stores, and keeps the ledger.
      const neo4jDown = externalStack(`services: { neo4j: { ports: { bolt: 1 } } }\ncontract:\n  use: apex-memory\n`);
      const refused = (await cleanRuns({ loaded: neo4jDown, reportsRoot, runId: kept.result.runId, all: false }).catch((error: unknown) => error)) as ApexError;
      expect(refused).toBeInstanceOf(ApexError);
      expect(refused).toMatchObject({ code: 'CLEANUP_FAILED', exitCode: 1, message: expect.stringMatching(/^neo4j did not answer the cleanup/) });
      expect(refused.fix).toContain(`apex test clean ${kept.result.runId}`);
      expect(listRunsWithLeftovers(reportsRoot).runs.map((listed) => listed.runId)).toEqual([kept.result.runId]);
      expect((await doubleData(clients, loaded, keptIds, keptUuids)).neo4j).toBe(keptData.neo4j);

      const cleaned = await cleanRuns({ loaded, reportsRoot, runId: kept.result.runId, all: false });
      expect(cleaned.runs[0]).toMatchObject({ runId: kept.result.runId, leftAfterCleanup: none, documentsWithoutUuid: 0 });
      expect(await doubleData(clients, loaded, keptIds, keptUuids)).toEqual(none);
      expect(listRunsWithLeftovers(reportsRoot).runs).toEqual([]);
    },
  );
});
