import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../src/config/stack-context.js';
import { checksumOf } from '../../src/services/migrations.js';
import { seedStack, type SeedResult } from '../../src/services/seeding.js';
import { coreStores, isolatedStack, ISOLATED, recreateTestDatabase, removeIsolatedData, storeClients, type StoreClients } from '../support/isolated-stack.js';
import { missingServers } from '../support/servers.js';
import { storeSnapshot } from '../support/store-snapshot.js';

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'temporal']);

const byService = (results: SeedResult[]) => Object.fromEntries(results.map((result) => [result.service, result]));

describe.skipIf(missing)('apex seed against the real servers', () => {
  const { stack } = isolatedStack();
  let clients: StoreClients;
  let first: Record<string, SeedResult>;

  beforeAll(async () => {
    await recreateTestDatabase(stack);
    clients = await storeClients(stack);
    await removeIsolatedData(clients);
    first = byService(await seedStack(stack, coreStores()));
  });
  afterAll(() => clients?.close());

  it('seeds every store', () => {
    for (const result of Object.values(first)) expect(result, result.service).toMatchObject({ ok: true });
    expect(Object.keys(first).sort()).toEqual(['neo4j', 'postgres', 'qdrant', 'redis', 's3', 'temporal']);
  });

  it('PostgreSQL: creates the tables and records each migration with its checksum', async () => {
    expect(first.postgres.applied).toEqual(['migration 001_documents']);
    const { rows } = await clients.pg.query('SELECT version, name, checksum FROM schema_migrations');
    const file = readFileSync(join(TEMPLATES_DIR, 'migrations/postgres/001_documents.sql'), 'utf8');
    expect(rows).toEqual([{ version: 1, name: '001_documents', checksum: checksumOf(file) }]);
    const tables = await clients.pg.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    expect(tables.rows.map((row) => row.table_name)).toEqual(['chunks', 'documents', 'entities', 'schema_migrations']);
    const columns = await clients.pg.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'documents' ORDER BY ordinal_position");
    expect(columns.rows.map((row) => row.column_name)).toEqual([
      'uuid',
      'run_id',
      'file_name',
      's3_key',
      'content_type',
      'content_hash',
      'status',
      'chunk_count',
      'entity_count',
      'created_at',
      'updated_at',
    ]);
  });

  it('Neo4j: creates the constraints and records the migration as an :ApexMigration node', async () => {
    const constraints = await clients.neo4j.executeQuery('SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties RETURN *');
    const byName = Object.fromEntries(constraints.records.map((record) => [record.get('name'), record.toObject()]));
    expect(byName.document_uuid_unique).toMatchObject({ labelsOrTypes: ['Document'], properties: ['uuid'] });
    expect(byName.entity_key_unique).toMatchObject({ labelsOrTypes: ['Entity'], properties: ['key'] });
    const recorded = await clients.neo4j.executeQuery('MATCH (m:ApexMigration {version: 1}) RETURN m.name AS name');
    expect(recorded.records.map((record) => record.get('name'))).toEqual(['001_constraints']);
  });

  it('Qdrant: the collection has the configured vector size, Cosine, and keyword payload indexes', async () => {
    expect(first.qdrant.applied).toEqual([`collection ${ISOLATED.collection} (384, Cosine)`, 'payload index run_id', 'payload index document_uuid']);
    const info = await clients.qdrant.getCollection(ISOLATED.collection);
    expect(info.config.params.vectors).toMatchObject({ size: 384, distance: 'Cosine' });
    expect(info.payload_schema?.run_id?.data_type).toBe('keyword');
    expect(info.payload_schema?.document_uuid?.data_type).toBe('keyword');
  });

  it('S3: creates both buckets, which hold the four sample documents, byte for byte', async () => {
    expect(first.s3.applied).toEqual([
      `bucket ${ISOLATED.bucket}`,
      `${ISOLATED.bucket}: 4 samples uploaded`,
      `bucket ${ISOLATED.testBucket}`,
      `${ISOLATED.testBucket}: 4 samples uploaded`,
    ]);
    for (const bucket of [ISOLATED.bucket, ISOLATED.testBucket]) {
      const pdf = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'samples/shipping-report.pdf' }));
      expect(pdf.ContentType).toBe('application/pdf');
      const body = Buffer.from(await pdf.Body!.transformToByteArray());
      expect(body.equals(readFileSync(join(TEMPLATES_DIR, 'samples/shipping-report.pdf')))).toBe(true);
    }
    const snapshot = await storeSnapshot(stack, clients);
    expect(snapshot.s3.map((entry) => entry.objects.map((object) => object.key))).toEqual([
      ['samples/apex-overview.txt', 'samples/entity-glossary.html', 'samples/ingestion-runbook.md', 'samples/shipping-report.pdf'],
      ['samples/apex-overview.txt', 'samples/entity-glossary.html', 'samples/ingestion-runbook.md', 'samples/shipping-report.pdf'],
    ]);
  });

  it('Temporal: the namespace exists with ApexRunId and ApexPhase as Keyword search attributes', async () => {
    const described = await clients.temporal.workflowService.describeNamespace({ namespace: ISOLATED.namespace });
    expect(described.namespaceInfo?.name).toBe(ISOLATED.namespace);
    const snapshot = await storeSnapshot(stack, clients);
    expect(snapshot.temporal).toEqual({ ApexRunId: 2, ApexPhase: 2 });
  });

  it('Redis: writes the schema version marker', async () => {
    expect(first.redis.applied).toEqual([`${ISOLATED.prefix}schema_version=1`]);
    expect(await clients.redis.get(`${ISOLATED.prefix}schema_version`)).toBe('1');
  });

  it('a second run changes nothing: every store reports unchanged and reads back identical', async () => {
    const before = await storeSnapshot(stack, clients);
    const second = await seedStack(stack, coreStores());
    for (const result of second) {
      expect(result, result.service).toMatchObject({ ok: true, applied: [] });
      expect(result.unchanged.length, result.service).toBeGreaterThan(0);
    }
    expect(await storeSnapshot(stack, clients)).toEqual(before);
  });
});
