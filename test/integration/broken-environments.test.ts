import { DeleteBucketCommand, DeleteObjectCommand, HeadBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceByName } from '../../src/services/catalog.js';
import { checkHealth } from '../../src/services/health.js';
import { resetStack } from '../../src/stack/reset.js';
import { seedStack } from '../../src/services/seeding.js';
import { coreStores, isolatedStack, ISOLATED, recreateTestDatabase, storeClients, type StoreClients } from '../support/isolated-stack.js';
import { missingServers } from '../support/servers.js';
import { createPortAllocator } from '../../src/runtime/ports.js';

const { freePort } = createPortAllocator();

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'temporal']);

describe.skipIf(missing)('broken environments, repaired or named', () => {
  const { stack } = isolatedStack();
  let clients: StoreClients;

  beforeAll(async () => {
    await recreateTestDatabase(stack);
    clients = await storeClients(stack);
    expect((await seedStack(stack, coreStores())).filter((result) => !result.ok)).toEqual([]);
  });
  afterAll(() => clients?.close());

  it('a table dropped by hand: seed recreates it', async () => {
    await clients.pg.query('DROP TABLE chunks');
    const [result] = await seedStack(stack, [serviceByName('postgres')]);
    expect(result.ok).toBe(true);
    expect(result.applied[0]).toMatch(/^repaired chunks, chunks_run_id_idx, chunks_document_uuid_idx/);
    const { rows } = await clients.pg.query("SELECT to_regclass('chunks')::text AS chunks, to_regclass('chunks_run_id_idx')::text AS idx");
    expect(rows[0]).toEqual({ chunks: 'chunks', idx: 'chunks_run_id_idx' });
    const [again] = await seedStack(stack, [serviceByName('postgres')]);
    expect(again.applied).toEqual([]);
  });

  it('a constraint dropped by hand: reset repairs it', async () => {
    await clients.neo4j.executeQuery('DROP CONSTRAINT entity_key_unique');
    const [result] = await resetStack(stack, [serviceByName('neo4j')], { yes: true });
    expect(result.ok).toBe(true);
    expect(result.applied[0]).toContain('repaired entity_key_unique');
    const constraints = await clients.neo4j.executeQuery('SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names');
    expect(constraints.records[0].get('names')).toContain('entity_key_unique');
  });

  it('the bucket deleted by hand: seed recreates it with its samples', async () => {
    const listing = await clients.s3.send(new ListObjectsV2Command({ Bucket: ISOLATED.bucket }));
    for (const object of listing.Contents ?? []) await clients.s3.send(new DeleteObjectCommand({ Bucket: ISOLATED.bucket, Key: object.Key }));
    await clients.s3.send(new DeleteBucketCommand({ Bucket: ISOLATED.bucket }));
    const [result] = await seedStack(stack, [serviceByName('s3')]);
    expect(result.applied).toEqual([`bucket ${ISOLATED.bucket}`, `${ISOLATED.bucket}: 4 samples uploaded`]);
    await clients.s3.send(new HeadBucketCommand({ Bucket: ISOLATED.bucket }));
    const after = await clients.s3.send(new ListObjectsV2Command({ Bucket: ISOLATED.bucket }));
    expect(after.KeyCount).toBe(4);
  });

  it('the Qdrant collection dropped by hand: seed recreates it; a reset store-by-store still works', async () => {
    await clients.qdrant.deleteCollection(ISOLATED.collection);
    const [result] = await resetStack(stack, [serviceByName('qdrant')], { yes: true });
    expect(result).toMatchObject({ ok: true, cleared: [], applied: expect.arrayContaining([`collection ${ISOLATED.collection} (384, Cosine)`]) });
  });

  it('one store stopped: health names it and says how to fix it; the others stay healthy', async () => {
    const port = await freePort();
    const { stack: broken } = isolatedStack(`services:\n  redis:\n    ports:\n      redis: ${port}\n`);
    const results = await checkHealth(broken, coreStores(), { timeoutMs: 3_000 });
    const redis = results.find((result) => result.service === 'redis');
    expect(redis).toMatchObject({ ok: false, error: `redis: connection refused on 127.0.0.1:${port}` });
    expect(redis?.fix).toContain(`Start redis at 127.0.0.1:${port}`);
    expect(redis?.fix).toContain('services.redis.host/ports');
    expect(results.filter((result) => !result.ok).map((result) => result.service)).toEqual(['redis']);
    const [seed] = await seedStack(broken, [serviceByName('redis')]);
    expect(seed).toMatchObject({ ok: false, error: `redis: connection refused on 127.0.0.1:${port}` });
  });

  it('every store stopped at once: each is named within a second, with no client retrying to its deadline', async () => {
    const ports = { temporal: await freePort(), neo4j: await freePort(), postgres: await freePort(), qdrant: await freePort(), s3: await freePort() };
    const { stack: broken } = isolatedStack(
      `services:\n  temporal:\n    ports:\n      grpc: ${ports.temporal}\n  neo4j:\n    ports:\n      bolt: ${ports.neo4j}\n` +
        `  postgres:\n    ports:\n      postgres: ${ports.postgres}\n  qdrant:\n    ports:\n      http: ${ports.qdrant}\n` +
        `  s3:\n    ports:\n      http: ${ports.s3}\n`,
    );
    const started = performance.now();
    const health = await checkHealth(broken, coreStores());
    const seeded = await seedStack(broken, coreStores());
    expect(performance.now() - started).toBeLessThan(1_500);
    for (const [service, port] of Object.entries(ports)) {
      for (const results of [health, seeded]) {
        expect(results.find((result) => result.service === service)).toMatchObject({
          ok: false,
          error: `${service}: connection refused on 127.0.0.1:${port}`,
        });
      }
    }
  });

  it('a wrong password: a clear error names the service and the .env key', async () => {
    const { stack: wrong, envFile } = isolatedStack();
    wrong.credentials = { ...wrong.credentials, postgresPassword: 'not-the-password', redisPassword: 'not-the-password' };
    const results = await checkHealth(wrong, [serviceByName('postgres'), serviceByName('redis')]);
    expect(results[0]).toMatchObject({
      service: 'postgres',
      ok: false,
      error: 'postgres rejected the credentials: password authentication failed for user "apex"',
      fix: `Set POSTGRES_PASSWORD in ${envFile} to the value the server at 127.0.0.1:5432 expects.`,
      rejectedKey: 'POSTGRES_PASSWORD',
    });
    expect(results[1]).toMatchObject({ service: 'redis', ok: false });
    expect(results[1].error).toMatch(/^redis rejected the credentials: WRONGPASS/);
    expect(results[1].fix).toContain('REDIS_PASSWORD');
    expect(results[1].rejectedKey).toBe('REDIS_PASSWORD');
  });
});
