import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkApplies, checkExpectation } from '../../src/contracts/expectations.js';
import { renderTemplate } from '../../src/contracts/render.js';
import { CONTRACT_STORES, type WorkerContract } from '../../src/contracts/schema.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { countInStore, deleteInStore, type ContractClients } from '../../src/services/contract-queries.js';
import { storeClients, type StoreClients } from '../support/isolated-stack.js';
import { adminPool, dropScratchStores } from '../support/scratch-stores.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3']);

const suffix = randomUUID().slice(0, 8);
/** A database, collection and bucket of this file's own; the contract's Qdrant collection is renamed to it. */
const NAMES = { database: 'apex_memcontract_it', collection: `apex_memcontract_it_${suffix}`, bucket: `apex-memcontract-it-${suffix}` };
const runId = `2d-it-${suffix}-saga`;
const otherRun = `2d-it-${suffix}-other`;

const builtIn = parseConfigText('contract: apex-memory\n', 'apex.config.yaml').contract;
const contract = JSON.parse(JSON.stringify(builtIn).replaceAll('"apex_documents"', JSON.stringify(NAMES.collection))) as WorkerContract;

interface Doc {
  run: string;
  n: string;
  uuid: string;
  name: string;
  outcome: 'succeeded' | 'failed';
}
const doc = (run: string, index: number, outcome: Doc['outcome']): Doc => {
  const n = String(index).padStart(5, '0');
  return { run, n, uuid: randomUUID(), name: renderTemplate(contract.document.name, { runId: run, n, extension: 'txt' }), outcome };
};
const docs = [doc(runId, 0, 'succeeded'), doc(runId, 1, 'succeeded'), doc(runId, 2, 'failed'), doc(otherRun, 0, 'succeeded')];

/** What the team's worker leaves for an ingested document (the columns and keys the contract page documents). */
async function ingest(clients: StoreClients, document: Doc): Promise<void> {
  await clients.pg.query('INSERT INTO documents (uuid, file_name, chunk_count) VALUES ($1, $2, 2)', [document.uuid, document.name]);
  for (const index of [0, 1])
    await clients.pg.query('INSERT INTO chunks (uuid, document_uuid, chunk_index) VALUES ($1, $2, $3)', [randomUUID(), document.uuid, index]);
  await clients.neo4j.executeQuery('CREATE (:Document {uuid: $uuid, file_name: $name})', { uuid: document.uuid, name: document.name });
  await clients.qdrant.upsert(NAMES.collection, {
    wait: true,
    points: [null, 0, 1].map((chunk) => ({
      id: randomUUID(),
      vector: [1, 0, chunk ?? 2, 0],
      payload: { document_uuid: document.uuid, chunk_index: chunk, is_chunk: chunk !== null },
    })),
  });
  await clients.redis.hset(`doc:${document.uuid}`, { file_name: document.name });
  await clients.redis.set(`idempotency:ingest:${document.uuid}`, '1');
}

describe.skipIf(missing)('the apex-memory contract verifies and cleans up what the team’s worker leaves, on the real servers', () => {
  const loaded = externalStack();
  const stack = { ...loaded.stack, credentials: { ...loaded.stack.credentials, postgresDb: NAMES.database } };
  let clients: StoreClients;
  let all: ContractClients;
  const runVars = { runId, phase: '2d', bucket: NAMES.bucket, prefix: 'load-test', planned: 3, completed: 2, failed: 1, uploaded: 3 };

  /** Every check the contract makes for one run: run scope once, document scope per document whose outcome it names. */
  async function verify(run: Doc[]): Promise<string[]> {
    const failures: string[] = [];
    for (const store of CONTRACT_STORES) {
      for (const check of contract.verify[store]) {
        const scopes =
          check.scope === 'run'
            ? [runVars]
            : run
                .filter((document) => checkApplies(check, document.outcome))
                .map((document) => ({ ...runVars, documentName: document.name, documentUuid: document.uuid, n: document.n }));
        for (const vars of scopes) {
          const actual = await countInStore(all, store, check, vars);
          const { expected, passed } = checkExpectation(check.expect, actual, vars);
          if (!passed)
            failures.push(`${store}: ${check.name}${'documentName' in vars ? ` [${vars.documentName}]` : ''}: expected ${expected}, found ${actual}`);
        }
      }
    }
    return failures;
  }

  beforeAll(async () => {
    const admin = adminPool(stack);
    await admin.query(`DROP DATABASE IF EXISTS ${NAMES.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${NAMES.database}`);
    await admin.end();
    clients = await storeClients(stack);
    all = { postgres: clients.pg, neo4j: clients.neo4j, qdrant: clients.qdrant, redis: clients.redis, s3: clients.s3 };
    await clients.pg.query('CREATE TABLE documents (uuid uuid PRIMARY KEY, file_name text, chunk_count int, created_at timestamptz DEFAULT now())');
    await clients.pg.query('CREATE TABLE chunks (uuid uuid PRIMARY KEY, document_uuid uuid REFERENCES documents (uuid), chunk_index int)');
    await clients.qdrant.createCollection(NAMES.collection, { vectors: { size: 4, distance: 'Cosine' } });
    await clients.s3.send(new CreateBucketCommand({ Bucket: NAMES.bucket }));
    for (const document of docs) {
      if (document.outcome === 'succeeded') await ingest(clients, document);
      await clients.s3.send(new PutObjectCommand({ Bucket: NAMES.bucket, Key: `load-test/${document.name}`, Body: 'text' }));
    }
  });

  afterAll(async () => {
    if (!clients) return;
    await clients.neo4j.executeQuery('MATCH (d:Document) WHERE d.uuid IN $uuids DETACH DELETE d', { uuids: docs.map((document) => document.uuid) });
    await clients.redis.del(...docs.flatMap((document) => [`doc:${document.uuid}`, `idempotency:ingest:${document.uuid}`]));
    await dropScratchStores(stack, clients, all, NAMES);
  });

  it('holds for a run whose failed document the saga rolled back everywhere', async () => {
    expect(await verify(docs.slice(0, 3))).toEqual([]);
  });

  it('names each store still holding data of a document reported as failed', async () => {
    const failed = docs[2];
    await ingest(clients, failed);
    expect(await verify(docs.slice(0, 3))).toEqual([
      `postgres: documents row (rolled back) [${failed.name}]: expected absent (0), found 1`,
      `postgres: chunks rows (rolled back) [${failed.name}]: expected absent (0), found 2`,
      'postgres: documents rows of the run: expected 2, found 3',
      `neo4j: Document node (rolled back) [${failed.name}]: expected absent (0), found 1`,
      `qdrant: points of the document (rolled back) [${failed.name}]: expected absent (0), found 3`,
      `redis: document cache key (rolled back) [${failed.name}]: expected absent (0), found 1`,
    ]);
  });

  it("cleanup by file name and document uuid removes the run and leaves another run's data", async () => {
    for (const store of CONTRACT_STORES) {
      for (const statement of contract.cleanup[store]) {
        const scopes =
          statement.scope === 'run'
            ? [runVars]
            : docs.filter((document) => document.run === runId).map((document) => ({ ...runVars, documentUuid: document.uuid }));
        for (const vars of scopes) await deleteInStore(all, store, statement, vars);
      }
    }
    const left = async (document: Doc) => ({
      postgres: Number((await clients.pg.query('SELECT count(*) FROM documents WHERE uuid = $1', [document.uuid])).rows[0].count),
      neo4j: (await clients.neo4j.executeQuery('MATCH (d:Document {uuid: $uuid}) RETURN d', { uuid: document.uuid })).records.length,
      qdrant: (await clients.qdrant.count(NAMES.collection, { exact: true, filter: { must: [{ key: 'document_uuid', match: { value: document.uuid } }] } }))
        .count,
      redis: await clients.redis.exists(`doc:${document.uuid}`, `idempotency:ingest:${document.uuid}`),
      s3: await countInStore(all, 's3', { bucket: NAMES.bucket, prefix: `load-test/${document.name}` }, {}),
    });
    for (const document of docs.slice(0, 3)) expect(await left(document), document.name).toEqual({ postgres: 0, neo4j: 0, qdrant: 0, redis: 0, s3: 0 });
    expect(await left(docs[3])).toEqual({ postgres: 1, neo4j: 1, qdrant: 3, redis: 2, s3: 1 });
  });
});
