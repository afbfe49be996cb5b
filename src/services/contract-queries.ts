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

/** Deletes what the query matches in `store`; returns how much it removed. */
export const deleteInStore = <Store extends ContractStore>(
  clients: ContractClients,
  store: Store,
  query: StoreQuery<Store>,
  vars: TemplateVariables,
): Promise<number> => EXECUTORS[store].deleteMatching(clients[store], query, vars);
