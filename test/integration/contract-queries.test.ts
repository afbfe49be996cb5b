import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractQueryError } from '../../src/contracts/query-error.js';
import { countInStore, deleteInStore, type ContractClients } from '../../src/services/contract-queries.js';
import * as neo4jQueries from '../../src/services/neo4j/contract-queries.js';
import * as postgresQueries from '../../src/services/postgres/contract-queries.js';
import * as qdrantQueries from '../../src/services/qdrant/contract-queries.js';
import * as redisQueries from '../../src/services/redis/contract-queries.js';
import * as s3Queries from '../../src/services/s3/contract-queries.js';
import { storeClients, type StoreClients } from '../support/isolated-stack.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3']);

/** Names of this file's own: a table pair, a node label, a collection, a key prefix and a bucket. */
const suffix = randomUUID().slice(0, 8);
const NAMES = {
  documents: `contract_it_${suffix}_documents`,
  chunks: `contract_it_${suffix}_chunks`,
  label: `ContractIt${suffix}`,
  collection: `contract_it_${suffix}`,
  keys: `contractit:${suffix}:`,
  bucket: `apex-contract-it-${suffix}`,
};
const runId = `it-${suffix}`;
const otherRun = `other-${suffix}`;
const documents = [runId, runId, runId, otherRun].map((run, index) => ({
  run,
  uuid: randomUUID(),
  name: `load-test-${run}-doc-${String(index).padStart(5, '0')}.txt`,
}));
const mine = documents.filter((document) => document.run === runId);
const runFileNames = `file_name LIKE 'load-test-' || {runId}::text || '-doc-%'`;

describe.skipIf(missing)('contract queries: counting and deleting through each store executor on the real servers', () => {
  let clients: StoreClients;

  beforeAll(async () => {
    clients = await storeClients(externalStack().stack);
    await clients.pg.query(`CREATE TABLE ${NAMES.documents} (uuid uuid PRIMARY KEY, file_name text NOT NULL)`);
    await clients.pg.query(`CREATE TABLE ${NAMES.chunks} (uuid uuid PRIMARY KEY, document_uuid uuid NOT NULL, chunk_index int NOT NULL)`);
    for (const document of documents) {
      await clients.pg.query(`INSERT INTO ${NAMES.documents} VALUES ($1, $2)`, [document.uuid, document.name]);
      for (const index of [0, 1]) await clients.pg.query(`INSERT INTO ${NAMES.chunks} VALUES ($1, $2, $3)`, [randomUUID(), document.uuid, index]);
      await clients.neo4j.executeQuery(`CREATE (:${NAMES.label} {uuid: $uuid, runId: $run})-[:HAS]->(:${NAMES.label}Chunk)`, {
        uuid: document.uuid,
        run: document.run,
      });
      await clients.redis.hset(`${NAMES.keys}doc:${document.uuid}`, { file_name: document.name });
    }
    await clients.redis.set(`${NAMES.keys}doc:a*`, '1');
    await clients.redis.set(`${NAMES.keys}doc:ab`, '1');
    await clients.qdrant.createCollection(NAMES.collection, { vectors: { size: 4, distance: 'Cosine' } });
    await clients.qdrant.upsert(NAMES.collection, {
      wait: true,
      points: documents.flatMap((document) =>
        [0, 1, 2].map((chunk) => ({
          id: randomUUID(),
          vector: [1, chunk, 0, 1],
          payload: { document_uuid: document.uuid, run_id: document.run, chunk_index: chunk },
        })),
      ),
    });
    await clients.s3.send(new CreateBucketCommand({ Bucket: NAMES.bucket }));
    for (const document of documents) await clients.s3.send(new PutObjectCommand({ Bucket: NAMES.bucket, Key: `load-test/${document.name}`, Body: 'text' }));
  });

  afterAll(async () => {
    if (!clients) return;
    await clients.pg.query(`DROP TABLE IF EXISTS ${NAMES.documents}, ${NAMES.chunks}`);
    await clients.neo4j.executeQuery(`MATCH (n) WHERE n:${NAMES.label} OR n:${NAMES.label}Chunk DETACH DELETE n`);
    await clients.qdrant.deleteCollection(NAMES.collection);
    const keys = await clients.redis.keys(`${NAMES.keys}*`);
    if (keys.length > 0) await clients.redis.del(...keys);
    await s3Queries.deleteMatching(clients.s3, { bucket: NAMES.bucket, prefix: '' }, {});
    await clients.s3.send(new DeleteBucketCommand({ Bucket: NAMES.bucket }));
    await clients.close();
  });

  it('postgres: counts with bound parameters (a hostile value matches nothing) and deletes what matches', async () => {
    const documentsOfRun = { sql: `SELECT count(*) FROM ${NAMES.documents} WHERE ${runFileNames}` };
    const chunksOf = { sql: `SELECT count(*) FROM ${NAMES.chunks} WHERE document_uuid = {documentUuid}` };
    const byName = { sql: `SELECT count(*) FROM ${NAMES.documents} WHERE file_name = {documentName}` };
    expect(await postgresQueries.countMatching(clients.pg, documentsOfRun, { runId })).toBe(3);
    expect(await postgresQueries.countMatching(clients.pg, chunksOf, { documentUuid: mine[0].uuid })).toBe(2);
    expect(await postgresQueries.countMatching(clients.pg, byName, { documentName: mine[1].name })).toBe(1);
    expect(await postgresQueries.countMatching(clients.pg, byName, { documentName: "x' OR '1'='1" })).toBe(0);

    const deletedChunks = await postgresQueries.deleteMatching(
      clients.pg,
      { sql: `DELETE FROM ${NAMES.chunks} WHERE document_uuid IN (SELECT uuid FROM ${NAMES.documents} WHERE ${runFileNames})` },
      { runId },
    );
    const deletedDocuments = await postgresQueries.deleteMatching(clients.pg, { sql: `DELETE FROM ${NAMES.documents} WHERE ${runFileNames}` }, { runId });
    expect([deletedChunks, deletedDocuments]).toEqual([6, 3]);
    const { rows } = await clients.pg.query(
      `SELECT d.file_name, count(c.uuid)::int AS chunks FROM ${NAMES.documents} d LEFT JOIN ${NAMES.chunks} c ON c.document_uuid = d.uuid GROUP BY d.file_name`,
    );
    expect(rows).toEqual([{ file_name: documents[3].name, chunks: 2 }]);
    expect((await clients.pg.query(`SELECT count(*)::int AS n FROM ${NAMES.chunks}`)).rows[0].n).toBe(2);
  });

  it('postgres: a failing statement, or one that returns no count, names the store and the query', async () => {
    const missingTable = { sql: `SELECT count(*) FROM ${NAMES.documents}_nope WHERE file_name = {documentName}` };
    const error = await postgresQueries.countMatching(clients.pg, missingTable, { documentName: 'a' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContractQueryError);
    expect((error as ContractQueryError).store).toBe('postgres');
    expect((error as ContractQueryError).message).toMatch(
      new RegExp(`^postgres query failed: .*${NAMES.documents}_nope" does not exist \\(query: SELECT count`),
    );
    const noCount = await postgresQueries
      .countMatching(clients.pg, { sql: `SELECT file_name FROM ${NAMES.documents} WHERE false` }, {})
      .catch((caught: unknown) => caught);
    expect((noCount as Error).message).toMatch(/^postgres query failed: expected one row whose first column is a count, got no rows/);
  });

  it('neo4j: counts and detach-deletes nodes matched through Cypher parameters', async () => {
    const ofRun = { cypher: `MATCH (d:${NAMES.label} {runId: {runId}}) RETURN count(d)` };
    expect(await neo4jQueries.countMatching(clients.neo4j, ofRun, { runId })).toBe(3);
    expect(
      await neo4jQueries.countMatching(
        clients.neo4j,
        { cypher: `MATCH (d:${NAMES.label} {uuid: {documentUuid}}) RETURN count(d)` },
        { documentUuid: mine[2].uuid },
      ),
    ).toBe(1);
    expect(await neo4jQueries.deleteMatching(clients.neo4j, { cypher: `MATCH (d:${NAMES.label} {runId: {runId}}) DETACH DELETE d` }, { runId })).toBe(3);
    const { records } = await clients.neo4j.executeQuery(`MATCH (d:${NAMES.label}) OPTIONAL MATCH (d)-[h:HAS]->() RETURN d.runId AS run, count(h) AS links`);
    expect(records.map((record) => record.toObject())).toEqual([{ run: otherRun, links: 1 }]);
    const bad = await neo4jQueries.countMatching(clients.neo4j, { cypher: 'MATCH (d RETURN count(d)' }, {}).catch((caught: unknown) => caught);
    expect(bad).toBeInstanceOf(ContractQueryError);
    expect((bad as ContractQueryError).message).toMatch(/^neo4j query failed: .*\(query: MATCH \(d RETURN count\(d\)\)$/s);
  });

  it('qdrant: counts and deletes the points a rendered filter matches', async () => {
    const ofDocument = { collection: NAMES.collection, filter: { must: [{ key: 'document_uuid', match: { value: '{documentUuid}' } }] } };
    const ofRun = { collection: '{collection}', filter: { must: [{ key: 'run_id', match: { value: '{runId}' } }] } };
    expect(await qdrantQueries.countMatching(clients.qdrant, ofDocument, { documentUuid: mine[0].uuid })).toBe(3);
    expect(await qdrantQueries.countMatching(clients.qdrant, ofRun, { runId, collection: NAMES.collection })).toBe(9);
    expect(await qdrantQueries.deleteMatching(clients.qdrant, ofRun, { runId, collection: NAMES.collection })).toBe(9);
    const { points } = await clients.qdrant.scroll(NAMES.collection, { limit: 100, with_payload: true });
    expect(points.map((point) => point.payload?.document_uuid)).toEqual([documents[3].uuid, documents[3].uuid, documents[3].uuid]);
    const missingCollection = await qdrantQueries
      .countMatching(clients.qdrant, { ...ofDocument, collection: `${NAMES.collection}_nope` }, { documentUuid: 'x' })
      .catch((caught: unknown) => caught);
    expect((missingCollection as ContractQueryError).store).toBe('qdrant');
  });

  it('redis: a substituted value matches only itself, the template keeps its wildcards', async () => {
    const documentKey = { pattern: `${NAMES.keys}doc:{documentUuid}` };
    expect(await redisQueries.countMatching(clients.redis, documentKey, { documentUuid: 'a*' })).toBe(1);
    expect(await redisQueries.countMatching(clients.redis, documentKey, { documentUuid: mine[0].uuid })).toBe(1);
    expect(await redisQueries.countMatching(clients.redis, { pattern: `${NAMES.keys}doc:*` }, {})).toBe(6);
    expect(await redisQueries.deleteMatching(clients.redis, documentKey, { documentUuid: 'a*' })).toBe(1);
    for (const document of mine) expect(await redisQueries.deleteMatching(clients.redis, documentKey, { documentUuid: document.uuid })).toBe(1);
    expect((await clients.redis.keys(`${NAMES.keys}*`)).sort()).toEqual([`${NAMES.keys}doc:${documents[3].uuid}`, `${NAMES.keys}doc:ab`].sort());
  });

  it('s3: counts and deletes the objects under a rendered prefix', async () => {
    const ofRun = { bucket: '{bucket}', prefix: '{prefix}/load-test-{runId}-' };
    const vars = { bucket: NAMES.bucket, prefix: 'load-test', runId };
    expect(await s3Queries.countMatching(clients.s3, ofRun, vars)).toBe(3);
    expect(await s3Queries.deleteMatching(clients.s3, ofRun, vars)).toBe(3);
    expect(await s3Queries.countMatching(clients.s3, ofRun, vars)).toBe(0);
    expect(await s3Queries.countMatching(clients.s3, { bucket: NAMES.bucket, prefix: 'load-test/' }, {})).toBe(1);
    const missingBucket = await s3Queries.countMatching(clients.s3, { bucket: `${NAMES.bucket}-nope`, prefix: '' }, {}).catch((caught: unknown) => caught);
    expect((missingBucket as ContractQueryError).message).toMatch(/^s3 query failed: NoSuchBucket/);
  });

  it("routes each store's query to its executor: what the other run wrote is all that is left", async () => {
    const all: ContractClients = { postgres: clients.pg, neo4j: clients.neo4j, qdrant: clients.qdrant, redis: clients.redis, s3: clients.s3 };
    const vars = { runId: otherRun, documentUuid: documents[3].uuid, bucket: NAMES.bucket };
    const left = {
      postgres: await countInStore(all, 'postgres', { sql: `SELECT count(*) FROM ${NAMES.documents}` }, vars),
      neo4j: await countInStore(all, 'neo4j', { cypher: `MATCH (d:${NAMES.label}) WHERE d.runId = {runId} RETURN count(d)` }, vars),
      qdrant: await countInStore(all, 'qdrant', { collection: NAMES.collection, filter: {} }, vars),
      redis: await countInStore(all, 'redis', { pattern: `${NAMES.keys}*` }, vars),
      s3: await countInStore(all, 's3', { bucket: '{bucket}', prefix: '' }, vars),
    };
    expect(left).toEqual({ postgres: 1, neo4j: 1, qdrant: 3, redis: 2, s3: 1 });
    expect(await deleteInStore(all, 'redis', { pattern: `${NAMES.keys}doc:{documentUuid}` }, vars)).toBe(1);
    expect(await clients.redis.keys(`${NAMES.keys}*`)).toEqual([`${NAMES.keys}doc:ab`]);
  });
});
