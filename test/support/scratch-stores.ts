import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import type { StackContext } from '../../src/config/stack-context.js';
import { deleteInStore, type ContractClients } from '../../src/services/contract-queries.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import type { StoreClients } from './isolated-stack.js';

/** A test's own PostgreSQL database, Qdrant collection and S3 bucket, so that its queries see only what it wrote. */
export interface ScratchNames {
  database: string;
  collection: string;
  bucket: string;
}

/** A pool on the server's `postgres` database, for creating and dropping a scratch database. */
export const adminPool = (stack: StackContext) =>
  createPostgresPool(resolveEndpoint(stack.config, serviceByName('postgres')), { ...stack.credentials, postgresDb: 'postgres' }, 1);

/** Removes the scratch collection, bucket (with its objects) and database, and closes the test's clients. */
export async function dropScratchStores(stack: StackContext, clients: StoreClients, all: ContractClients, names: ScratchNames): Promise<void> {
  await clients.qdrant.deleteCollection(names.collection);
  await deleteInStore(all, 's3', { bucket: names.bucket, prefix: '' }, {});
  await clients.s3.send(new DeleteBucketCommand({ Bucket: names.bucket }));
  await clients.close();
  const admin = adminPool(stack);
  await admin.query(`DROP DATABASE IF EXISTS ${names.database} WITH (FORCE)`);
  await admin.end();
}
