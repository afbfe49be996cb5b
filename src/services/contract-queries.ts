import type { S3Client } from '@aws-sdk/client-s3';
import type { QdrantClient } from '@qdrant/js-client-rest';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import type pg from 'pg';
import type { TemplateVariables } from '../contracts/render.js';
import type { ContractStore, WorkerContract } from '../contracts/schema.js';
import * as neo4j from './neo4j/contract-queries.js';
import * as postgres from './postgres/contract-queries.js';
import * as qdrant from './qdrant/contract-queries.js';
import * as redis from './redis/contract-queries.js';
import * as s3 from './s3/contract-queries.js';

/** One client per store a contract queries. */
export interface ContractClients {
  postgres: pg.Pool;
  neo4j: Driver;
  qdrant: QdrantClient;
  redis: Redis;
  s3: S3Client;
}

/** A query of one store, as a verify check or a cleanup statement of the contract holds it. */
export type StoreQuery<Store extends ContractStore> = Omit<WorkerContract['cleanup'][Store][number], 'scope'>;

type Executor = (client: unknown, query: unknown, vars: TemplateVariables) => Promise<number>;
const EXECUTORS = { postgres, neo4j, qdrant, redis, s3 } as unknown as Record<ContractStore, { countMatching: Executor; deleteMatching: Executor }>;

/** How many rows, nodes, points, keys or objects of `store` the query matches. */
export const countInStore = <Store extends ContractStore>(
  clients: ContractClients,
  store: Store,
  query: StoreQuery<Store>,
  vars: TemplateVariables,
): Promise<number> => EXECUTORS[store].countMatching(clients[store], query, vars);

/** One cleanup statement with the variables it renders with. */
export interface BoundStatement<Store extends ContractStore = ContractStore> {
  query: StoreQuery<Store>;
  vars: TemplateVariables;
}

/**
 * How much a store's cleanup statements would remove, without removing it: PostgreSQL and Neo4j run them in order
 * in a transaction that is rolled back; Qdrant, Redis and S3 count what each selects.
 */
export async function countRemovableInStore<Store extends ContractStore>(
  clients: ContractClients,
  store: Store,
  statements: readonly BoundStatement<Store>[],
): Promise<number> {
  if (store === 'postgres') return postgres.countRemovable(clients.postgres, statements as readonly BoundStatement<'postgres'>[]);
  if (store === 'neo4j') return neo4j.countRemovable(clients.neo4j, statements as readonly BoundStatement<'neo4j'>[]);
  let removable = 0;
  for (const { query, vars } of statements) removable += await countInStore(clients, store, query, vars);
  return removable;
}

/** Deletes what the query matches in `store`; returns how much it removed. */
export const deleteInStore = <Store extends ContractStore>(
  clients: ContractClients,
  store: Store,
  query: StoreQuery<Store>,
  vars: TemplateVariables,
): Promise<number> => EXECUTORS[store].deleteMatching(clients[store], query, vars);
