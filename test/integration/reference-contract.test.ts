import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExpectation } from '../../src/contracts/expectations.js';
import { renderTemplate } from '../../src/contracts/render.js';
import { CONTRACT_STORES, type ContractStore, type WorkerContract } from '../../src/contracts/schema.js';
import { encodeVector } from '../../src/results/vector-encoding.js';
import { countInStore, deleteInStore, type ContractClients } from '../../src/services/contract-queries.js';
import { serviceByName } from '../../src/services/catalog.js';
import { createNeo4jWriter } from '../../src/services/neo4j/writes.js';
import { createPostgresWriter } from '../../src/services/postgres/writes.js';
import { createQdrantWriter } from '../../src/services/qdrant/writes.js';
import { createRedisWriter } from '../../src/services/redis/writes.js';
import { uploadDocument } from '../../src/services/s3/writes.js';
import { seedStack } from '../../src/services/seeding.js';
import { storeClients, type StoreClients } from '../support/isolated-stack.js';
import { adminPool, dropScratchStores } from '../support/scratch-stores.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3']);

/** Names of this file's own, so that the reference contract's queries see only what this test wrote. */
const NAMES = { database: 'apex_refcontract_it', bucket: 'apex-refcontract-it', collection: 'apex_refcontract_it', prefix: 'apexrc:' };
const suffix = randomUUID().slice(0, 8);
const runId = `2d-it-${suffix}-concurrent`;
const otherRun = `2d-it-${suffix}-other`;

/** Writes one ingested document the way apex's worker does: through the store writers it uses. */
async function ingest(clients: StoreClients, run: string, name: string, chunks: number, entities: number): Promise<void> {
  const document = { uuid: randomUUID(), runId: run, fileName: name, s3Key: `runs/${run}/${name}`, contentType: 'text/plain', contentHash: 'h' };
  const chunkRecords = Array.from({ length: chunks }, (_, ordinal) => ({ uuid: randomUUID(), ordinal, text: `chunk ${ordinal}`, contentHash: `c${ordinal}` }));
  const entityRecords = Array.from({ length: entities }, (_, index) => ({ uuid: randomUUID(), name: `Entity ${suffix} ${run} ${index}`, kind: 'org' }));
  const vector = (ordinal: number) => encodeVector(Float32Array.from({ length: 384 }, (_, i) => (i === ordinal ? 1 : 0.01)));
  await createPostgresWriter(clients.pg).write({ document, chunks: chunkRecords, entities: entityRecords });
  await createNeo4jWriter(clients.neo4j).write({ document, entities: entityRecords });
  await createQdrantWriter(clients.qdrant, NAMES.collection).write({
    document,
    chunks: chunkRecords,
    embeddings: { dimensions: 384, vectors: chunkRecords.map((chunk) => vector(chunk.ordinal)) },
  });
  await createRedisWriter(clients.redis, NAMES.prefix).write({ document, chunkCount: chunks, entityCount: entities });
}

describe.skipIf(missing)('the reference contract verifies and cleans up what apex’s worker writes, on the real servers', () => {
  const loaded = externalStack(`ingestion:\n  testBucket: ${NAMES.bucket}\n  qdrantCollection: ${NAMES.collection}\n  redisPrefix: "${NAMES.prefix}"\n`);
  const stack = { ...loaded.stack, credentials: { ...loaded.stack.credentials, postgresDb: NAMES.database } };
  const contract: WorkerContract = stack.config.contract;
  const delivery = contract.document.delivery as Extract<WorkerContract['document']['delivery'], { kind: 's3' }>;
  let clients: StoreClients;
  let all: ContractClients;
  let vars: Record<string, string | number>;

  async function verify(): Promise<Record<string, { expected: string; actual: number; passed: boolean }>> {
    const results: Record<string, { expected: string; actual: number; passed: boolean }> = {};
    for (const store of CONTRACT_STORES) {
      for (const check of contract.verify[store] as WorkerContract['verify'][ContractStore]) {
        const actual = await countInStore(all, store, check, vars);
        results[`${store}: ${check.name}`] = { ...checkExpectation(check.expect, actual, vars), actual };
      }
    }
    return results;
  }

  beforeAll(async () => {
    const admin = adminPool(stack);
    await admin.query(`DROP DATABASE IF EXISTS ${NAMES.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${NAMES.database}`);
    await admin.end();
    const seeded = await seedStack(stack, ['postgres', 'neo4j', 'qdrant', 's3'].map(serviceByName));
    expect(seeded.filter((result) => !result.ok)).toEqual([]);
    clients = await storeClients(stack);
    all = { postgres: clients.pg, neo4j: clients.neo4j, qdrant: clients.qdrant, redis: clients.redis, s3: clients.s3 };
    // Two documents ingested, a third uploaded whose workflow failed before writing; another run's document besides.
    await ingest(clients, runId, 'doc-00000.txt', 3, 2);
    await ingest(clients, runId, 'doc-00001.md', 1, 4);
    await ingest(clients, otherRun, 'doc-00000.txt', 2, 1);
    const prefix = renderTemplate(delivery.prefix, { runId });
    for (const name of ['doc-00000.txt', 'doc-00001.md', 'doc-00002.html']) {
      const key = renderTemplate(delivery.key, { prefix, documentName: name });
      await uploadDocument(clients.s3, delivery.bucket, { key, body: new TextEncoder().encode('text') });
    }
    vars = { runId, phase: '2d', bucket: delivery.bucket, prefix, planned: 3, completed: 2, failed: 1, uploaded: 3, expectedChunks: 4, expectedEntities: 6 };
  });

  afterAll(async () => {
    if (!clients) return;
    for (const store of CONTRACT_STORES)
      for (const statement of contract.cleanup[store]) await deleteInStore(all, store, statement, { ...vars, runId: otherRun, prefix: `runs/${otherRun}` });
    await clients.neo4j.executeQuery('MATCH (e:Entity) WHERE e.name STARTS WITH $names DETACH DELETE e', { names: `Entity ${suffix} ` });
    await dropScratchStores(stack, clients, all, NAMES);
  });

  it("every check holds on a run's exact counts: the same eight counts the phases verified before contracts", async () => {
    const results = await verify();
    expect(Object.fromEntries(Object.entries(results).map(([name, result]) => [name, `${result.actual}/${result.expected}/${result.passed}`]))).toEqual({
      'postgres: documents rows': '2/2/true',
      'postgres: chunks rows': '4/4/true',
      'postgres: entities rows': '6/6/true',
      'neo4j: Document nodes': '2/2/true',
      'neo4j: MENTIONS relationships': '6/6/true',
      'qdrant: points': '4/4/true',
      'redis: document keys': '2/2/true',
      's3: objects under runs/<runId>/': '3/3/true',
    });
  });

  it('a store that lost a write fails its check with what was expected and found', async () => {
    const { points } = await clients.qdrant.scroll(NAMES.collection, { limit: 1, filter: { must: [{ key: 'run_id', match: { value: runId } }] } });
    await clients.qdrant.delete(NAMES.collection, { wait: true, points: [points[0].id] });
    const results = await verify();
    expect(results['qdrant: points']).toEqual({ expected: '4', actual: 3, passed: false });
    expect(Object.values(results).filter((result) => !result.passed)).toHaveLength(1);
  });

  it("cleanup removes the run from every store and leaves another run's data", async () => {
    const removed = [];
    for (const store of CONTRACT_STORES)
      for (const statement of contract.cleanup[store]) removed.push(`${store}:${await deleteInStore(all, store, statement, vars)}`);
    expect(removed).toEqual(['postgres:2', 'neo4j:2', 'qdrant:3', 'redis:2', 's3:3']);
    const after = await verify();
    expect(Object.values(after).map((result) => result.actual)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const other = { ...vars, runId: otherRun, prefix: `runs/${otherRun}` };
    expect(await countInStore(all, 'postgres', contract.verify.postgres[1], other)).toBe(2);
    expect(await countInStore(all, 'neo4j', contract.verify.neo4j[1], other)).toBe(1);
    expect(await countInStore(all, 'qdrant', contract.verify.qdrant[0], other)).toBe(2);
    expect(await countInStore(all, 'redis', contract.verify.redis[0], other)).toBe(1);
  });
});
