import type { Compensation, Neo4jWrite, PostgresWrite, QdrantWrite, RedisWrite } from './ingestion-contract.js';

/** One store as the write activities see it: an idempotent write and its compensation (delete by document). */
export interface StoreWriter<T> {
  write(input: T): Promise<void>;
  compensate(target: Compensation): Promise<void>;
}

export interface StoreWriters {
  postgres: StoreWriter<PostgresWrite>;
  neo4j: StoreWriter<Neo4jWrite>;
  qdrant: StoreWriter<QdrantWrite>;
  redis: StoreWriter<RedisWrite>;
}
