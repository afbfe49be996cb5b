import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { QdrantClient } from '@qdrant/js-client-rest';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import type pg from 'pg';
import { resolveEndpoint, serviceByName } from '../services/catalog.js';
import { createNeo4jDriver } from '../services/neo4j/client.js';
import { createNeo4jWriter } from '../services/neo4j/writes.js';
import { createPostgresPool } from '../services/postgres/client.js';
import { createPostgresWriter } from '../services/postgres/writes.js';
import { createQdrantClient } from '../services/qdrant/client.js';
import { createQdrantWriter } from '../services/qdrant/writes.js';
import { storeUnreachable } from '../services/failure.js';
import { storeContext } from '../services/operations.js';
import { connectRedis } from '../services/redis/client.js';
import { redisOperations } from '../services/redis/operations.js';
import { createRedisWriter } from '../services/redis/writes.js';
import { createS3Client } from '../services/s3/client.js';
import type { ServiceEndpoint, StackContext } from '../services/service.js';
import type { ActivityDeps } from './activities/index.js';
import { createS3DocumentSource } from './activities/document-source.js';
import { createEmbedder } from './embeddings/embedder.js';
import { noFaults, type FaultInjector } from './fault-injection.js';
import { INGESTION_LIMITS } from './limits.js';
import type { StoreWriters } from '../results/store-writer.js';

export interface StoreClients {
  postgres: pg.Pool;
  neo4j: Driver;
  qdrant: QdrantClient;
  redis: Redis;
  s3: S3Client;
}

/** S3_ENDPOINT_URL wins over the stack's S3 endpoint (without an endpoint the AWS SDK goes to the real AWS S3). */
export function s3Endpoint(stack: StackContext, env: Readonly<Record<string, string | undefined>>): ServiceEndpoint {
  const endpoint = resolveEndpoint(stack.config, serviceByName('s3'));
  const override = env.S3_ENDPOINT_URL;
  if (!override) return endpoint;
  const url = new URL(override);
  const tls = url.protocol === 'https:';
  return { service: 's3', host: url.hostname, ports: { http: Number(url.port || (tls ? 443 : 80)) }, tls: tls ? { enabled: true } : undefined };
}

/** The stores' clients; Redis connects now, so a stopped Redis fails here with STORE_UNREACHABLE and its fix. */
export async function openStoreClients(stack: StackContext, env: Readonly<Record<string, string | undefined>>): Promise<StoreClients> {
  const endpoint = (name: string) => resolveEndpoint(stack.config, serviceByName(name));
  const redis = await connectRedis(endpoint('redis'), stack.credentials).catch((error: unknown) => {
    throw storeUnreachable(error, storeContext(stack, serviceByName('redis'), new AbortController().signal), redisOperations);
  });
  return {
    postgres: createPostgresPool(endpoint('postgres'), stack.credentials, 20),
    neo4j: createNeo4jDriver(endpoint('neo4j'), stack.credentials),
    qdrant: createQdrantClient(endpoint('qdrant'), stack.credentials),
    redis,
    s3: createS3Client(s3Endpoint(stack, env), stack.credentials),
  };
}

export async function closeStoreClients(clients: StoreClients): Promise<void> {
  clients.s3.destroy();
  await Promise.allSettled([clients.postgres.end(), clients.neo4j.close(), clients.redis.quit()]);
}

export function realStoreWriters(stack: StackContext, clients: StoreClients): StoreWriters {
  return {
    postgres: createPostgresWriter(clients.postgres),
    neo4j: createNeo4jWriter(clients.neo4j),
    qdrant: createQdrantWriter(clients.qdrant, stack.config.ingestion.qdrantCollection),
    redis: createRedisWriter(clients.redis, stack.config.ingestion.redisPrefix),
  };
}

/** The activities' dependencies on the real stores: what `apex worker` and phase 2D run with. */
export function realActivityDeps(
  stack: StackContext,
  env: Readonly<Record<string, string | undefined>>,
  clients: StoreClients,
  faults: FaultInjector = noFaults,
): ActivityDeps {
  return {
    documents: createS3DocumentSource(clients.s3, INGESTION_LIMITS.maxDocumentBytes),
    stores: realStoreWriters(stack, clients),
    embedder: createEmbedder(stack.config, env),
    faults,
    limits: INGESTION_LIMITS,
    tempDir: join(tmpdir(), 'apex-ingestion'),
  };
}
