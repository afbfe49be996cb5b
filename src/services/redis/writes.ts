import type { Redis } from 'ioredis';
import type { Compensation, RedisWrite } from '../../results/ingestion-contract.js';
import type { StoreWriter } from '../../results/store-writer.js';

export const documentCacheKey = (prefix: string, runId: string, documentUuid: string): string => `${prefix}doc:${runId}:${documentUuid}`;

/** One hash per document; HSET is idempotent, so a retry rewrites the same fields. */
export function createRedisWriter(redis: Redis, prefix: string): StoreWriter<RedisWrite> {
  return {
    async write({ document, chunkCount, entityCount }) {
      await redis.hset(documentCacheKey(prefix, document.runId, document.uuid), {
        document_uuid: document.uuid,
        run_id: document.runId,
        file_name: document.fileName,
        s3_key: document.s3Key,
        content_hash: document.contentHash,
        chunk_count: chunkCount,
        entity_count: entityCount,
        status: 'ingested',
      });
    },
    async compensate({ runId, documentUuid }: Compensation) {
      await redis.del(documentCacheKey(prefix, runId, documentUuid));
    },
  };
}

/** Every key matching a glob, through SCAN (never KEYS, which blocks the server). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  // SCAN may return a key twice while the keyspace rehashes.
  return [...new Set(keys)];
}
