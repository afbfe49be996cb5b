import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATES_DIR, type LoadedStack } from '../../src/config/stack-context.js';
import { DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Connection } from '@temporalio/client';
import { resolveEndpoint, SERVICES, serviceByName } from '../../src/services/catalog.js';
import { createNeo4jDriver } from '../../src/services/neo4j/client.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { createQdrantClient } from '../../src/services/qdrant/client.js';
import { createRedisClient } from '../../src/services/redis/client.js';
import { createS3Client } from '../../src/services/s3/client.js';
import { connectTemporal } from '../../src/services/temporal/client.js';
import type { ServiceDefinition, StackContext } from '../../src/services/service.js';
import { externalStack } from './servers.js';

/**
 * The CI servers, with apex's names moved aside so that store tests do not touch other suites' data: their own
 * PostgreSQL database, buckets, collection, key prefix and Temporal namespace. Neo4j community has one database,
 * so graph tests share it.
 */
export const ISOLATED = {
  database: 'apex_stores_it',
  bucket: 'apex-stores-it',
  testBucket: 'apex-stores-it-test',
  collection: 'apex_stores_it',
  prefix: 'apexit:',
  namespace: 'apex-stores-it',
} as const;

const ISOLATED_INGESTION = [
  'ingestion:',
  `  bucket: ${ISOLATED.bucket}`,
  `  testBucket: ${ISOLATED.testBucket}`,
  `  qdrantCollection: ${ISOLATED.collection}`,
  `  redisPrefix: "${ISOLATED.prefix}"`,
  `  namespace: ${ISOLATED.namespace}`,
].join('\n');

/** The environment a CLI process needs besides the CI credentials to use the isolated database. */
export const ISOLATED_ENV = { POSTGRES_DB: ISOLATED.database };

export function isolatedStack(extraYaml = ''): LoadedStack {
  const loaded = externalStack(`${ISOLATED_INGESTION}\n${extraYaml}`);
  loaded.stack.credentials = { ...loaded.stack.credentials, postgresDb: ISOLATED.database };
  return loaded;
}

export const coreStores = (): ServiceDefinition[] => SERVICES.filter((service) => service.profile === 'core');

/** Drops and creates the test database, so that a test starts from a server that has never been seeded. */
export async function recreateTestDatabase(stack: StackContext): Promise<void> {
  const admin = createPostgresPool(resolveEndpoint(stack.config, serviceByName('postgres')), {
    ...stack.credentials,
    postgresDb: 'postgres',
  });
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ISOLATED.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${ISOLATED.database}`);
  } finally {
    await admin.end();
  }
}

/** A project directory for the built CLI: runtime external, isolated names (run it with ISOLATED_ENV). */
export function isolatedProjectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-cli-'));
  writeFileSync(join(dir, 'apex.config.yaml'), `runtime: external\n${ISOLATED_INGESTION}\n`);
  return dir;
}

/** A copy of templates/ with extra migration files, for delta and failure tests. */
export function templatesWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-templates-'));
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

export interface StoreClients {
  pg: ReturnType<typeof createPostgresPool>;
  neo4j: ReturnType<typeof createNeo4jDriver>;
  qdrant: ReturnType<typeof createQdrantClient>;
  redis: ReturnType<typeof createRedisClient>;
  s3: ReturnType<typeof createS3Client>;
  temporal: Connection;
  close(): Promise<void>;
}

/** Clients of their own for the tests' assertions: what is really in each store. */
export async function storeClients(stack: StackContext): Promise<StoreClients> {
  const endpoint = (name: string) => resolveEndpoint(stack.config, serviceByName(name));
  const clients = {
    pg: createPostgresPool(endpoint('postgres'), stack.credentials, 2),
    neo4j: createNeo4jDriver(endpoint('neo4j'), stack.credentials),
    qdrant: createQdrantClient(endpoint('qdrant'), stack.credentials),
    redis: createRedisClient(endpoint('redis'), stack.credentials),
    s3: createS3Client(endpoint('s3'), stack.credentials),
    temporal: await connectTemporal(stack),
  };
  await clients.redis.connect();
  return {
    ...clients,
    async close() {
      await Promise.all([clients.pg.end(), clients.neo4j.close(), clients.temporal.close()]);
      clients.redis.disconnect();
      clients.s3.destroy();
    },
  };
}

/** Deletes the buckets with their objects (the first 1,000 of each), so that the next seed has to create them. */
export async function removeBuckets(s3: StoreClients['s3'], buckets: readonly string[]): Promise<void> {
  for (const bucket of buckets) {
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
    for (const object of listing?.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  }
}

/** Removes the isolated collection, buckets and keys, so that the next seed has to create them. */
export async function removeIsolatedData(clients: StoreClients): Promise<void> {
  await clients.qdrant.deleteCollection(ISOLATED.collection);
  await removeBuckets(clients.s3, [ISOLATED.bucket, ISOLATED.testBucket]);
  const keys = await clients.redis.keys(`${ISOLATED.prefix}*`);
  if (keys.length > 0) await clients.redis.del(...keys);
}
