import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createTemporalClient } from '../../src/services/temporal/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApexError } from '../../src/errors.js';
import { serviceByName } from '../../src/services/catalog.js';
import { resetStack } from '../../src/stack/reset.js';
import { seedStack } from '../../src/services/seeding.js';
import { coreStores, isolatedStack, ISOLATED, recreateTestDatabase, storeClients, type StoreClients } from '../support/isolated-stack.js';
import { missingServers } from '../support/servers.js';
import { storeSnapshot } from '../support/store-snapshot.js';

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'temporal']);

/** Writes one run's worth of data into every store, the way the worker does. */
async function writeRun(clients: StoreClients, runId: string): Promise<{ workflowId: string }> {
  const doc = randomUUID();
  await clients.pg.query(`INSERT INTO documents (uuid, run_id, file_name, s3_key, content_hash, status) VALUES ($1, $2, 'a.txt', $3, 'h', 'done')`, [
    doc,
    runId,
    `runs/${runId}/a.txt`,
  ]);
  await clients.pg.query('INSERT INTO chunks (uuid, document_uuid, run_id, ordinal, text) VALUES ($1, $2, $3, 0, $4)', [
    randomUUID(),
    doc,
    runId,
    'chunk text',
  ]);
  await clients.pg.query("INSERT INTO entities (uuid, document_uuid, run_id, name, kind) VALUES ($1, $2, $3, 'Acme', 'org')", [randomUUID(), doc, runId]);
  await clients.neo4j.executeQuery(
    `CREATE (d:Document {uuid: $doc, runId: $runId, fileName: 'a.txt'})
     MERGE (e:Entity {key: 'org:acme-' + $runId}) SET e.name = 'Acme', e.kind = 'org'
     CREATE (d)-[:MENTIONS {runId: $runId}]->(e)`,
    { doc, runId },
  );
  await clients.qdrant.upsert(ISOLATED.collection, {
    wait: true,
    points: [0, 1, 2].map((ordinal) => ({
      id: randomUUID(),
      vector: Array.from({ length: 384 }, (_, i) => (i === ordinal ? 1 : 0.01)),
      payload: { run_id: runId, document_uuid: doc, ordinal, file_name: 'a.txt' },
    })),
  });
  await clients.redis.hset(`${ISOLATED.prefix}doc:${runId}:${doc}`, { status: 'done', chunks: '1' });
  for (const bucket of [ISOLATED.bucket, ISOLATED.testBucket]) {
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `runs/${runId}/a.txt`, Body: 'hello' }));
  }
  // No worker polls this task queue: the workflow stays open until something terminates it.
  const handle = await createTemporalClient(clients.temporal, ISOLATED.namespace).workflow.start('DocumentIngestionWorkflow', {
    taskQueue: `apex-stores-it-idle-${runId}`,
    workflowId: `apex-stores-it-${runId}`,
    args: [],
  });
  return { workflowId: handle.workflowId };
}

async function counts(clients: StoreClients, runId: string) {
  const rows = await clients.pg.query(
    'SELECT (SELECT count(*) FROM documents)::int AS documents, (SELECT count(*) FROM chunks)::int AS chunks, (SELECT count(*) FROM entities)::int AS entities',
  );
  const graph = await clients.neo4j.executeQuery(
    'MATCH (n) WHERE NOT n:ApexMigration WITH count(n) AS nodes OPTIONAL MATCH ()-[m:MENTIONS {runId: $runId}]->() RETURN nodes, count(m) AS mentions',
    { runId },
  );
  const points = await clients.qdrant.count(ISOLATED.collection, { exact: true });
  const keys = await clients.redis.keys(`${ISOLATED.prefix}doc:*`);
  const runObjects = await clients.s3.send(new ListObjectsV2Command({ Bucket: ISOLATED.bucket, Prefix: 'runs/' }));
  return {
    ...rows.rows[0],
    nodes: graph.records[0].get('nodes') as number,
    mentions: graph.records[0].get('mentions') as number,
    points: points.count,
    docKeys: keys.length,
    runObjects: runObjects.KeyCount ?? 0,
  };
}

describe.skipIf(missing)('apex reset against the real servers', () => {
  const { stack } = isolatedStack();
  let clients: StoreClients;

  beforeAll(async () => {
    await recreateTestDatabase(stack);
    clients = await storeClients(stack);
    const seeded = await seedStack(stack, coreStores());
    expect(seeded.filter((result) => !result.ok)).toEqual([]);
  });
  afterAll(() => clients?.close());

  it('a soft reset removes every store’s data and leaves the freshly seeded state, schema intact', async () => {
    const seeded = await storeSnapshot(stack, clients);
    const runId = `reset-${Date.now()}`;
    const { workflowId } = await writeRun(clients, runId);
    expect(await counts(clients, runId)).toMatchObject({
      documents: 1,
      chunks: 1,
      entities: 1,
      mentions: 1,
      points: 3,
      docKeys: 1,
      runObjects: 1,
    });

    const results = await resetStack(stack, coreStores(), { yes: true });
    for (const result of results) expect(result, `${result.service}: ${result.error}`).toMatchObject({ ok: true, mode: 'soft' });

    expect(await counts(clients, runId)).toEqual({
      documents: 0,
      chunks: 0,
      entities: 0,
      nodes: 0,
      mentions: 0,
      points: 0,
      docKeys: 0,
      runObjects: 0,
    });
    const status = await createTemporalClient(clients.temporal, ISOLATED.namespace).workflow.getHandle(workflowId).describe();
    expect(status.status.name).toBe('TERMINATED');

    const after = await storeSnapshot(stack, clients);
    expect(after.postgres).toEqual(seeded.postgres);
    expect(after.neo4j).toEqual(seeded.neo4j);
    expect(after.qdrant).toEqual(seeded.qdrant);
    expect(after.redis).toEqual(seeded.redis);
    expect(after.temporal).toEqual(seeded.temporal);
    expect(after.s3.map((entry) => entry.objects.map((object) => object.key))).toEqual(seeded.s3.map((entry) => entry.objects.map((object) => object.key)));
  });

  it('resets only the stores asked for', async () => {
    const runId = `only-${Date.now()}`;
    await writeRun(clients, runId);
    const results = await resetStack(stack, [serviceByName('redis')], { yes: true });
    expect(results.map((result) => [result.service, result.ok])).toEqual([['redis', true]]);
    expect(await counts(clients, runId)).toMatchObject({ documents: 1, points: 3, docKeys: 0 });
    await resetStack(stack, coreStores(), { yes: true });
  });

  it('asks first, and a "no" changes nothing', async () => {
    const runId = `no-${Date.now()}`;
    await writeRun(clients, runId);
    const questions: string[] = [];
    const declined = await resetStack(stack, coreStores(), {
      confirm: async (question) => (questions.push(question), false),
    }).catch((error: unknown) => error);
    expect(declined).toBeInstanceOf(ApexError);
    expect((declined as ApexError).code).toBe('ABORTED');
    expect(questions[0]).toContain('postgres (127.0.0.1:5432)');
    const noTerminal = await resetStack(stack, coreStores(), {}).catch((error: unknown) => error);
    expect((noTerminal as ApexError).fix).toContain('--yes');
    expect(await counts(clients, runId)).toMatchObject({ documents: 1, points: 3, docKeys: 1, runObjects: 1 });
    await resetStack(stack, coreStores(), { yes: true });
  });

  it('refuses an external target that is not on this machine unless forced, before touching anything', async () => {
    const remote = isolatedStack('services:\n  postgres:\n    host: 10.255.255.1\n').stack;
    const runId = `remote-${Date.now()}`;
    await writeRun(clients, runId);
    const refused = await resetStack(remote, coreStores(), { yes: true }).catch((error: unknown) => error);
    expect((refused as ApexError).code).toBe('RESET_REMOTE_TARGET');
    expect((refused as ApexError).message).toContain('postgres at 10.255.255.1');
    expect(await counts(clients, runId)).toMatchObject({ docKeys: 1, points: 3 });
    await resetStack(stack, coreStores(), { yes: true });
  });
});
