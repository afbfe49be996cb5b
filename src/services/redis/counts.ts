import type { Redis } from 'ioredis';
import type { RunCounts } from '../../results/store-writer.js';
import { runCacheKeys } from './writes.js';

export async function countRedisRun(redis: Redis, prefix: string, runId: string): Promise<Pick<RunCounts, 'cacheKeys'>> {
  return { cacheKeys: (await runCacheKeys(redis, prefix, runId)).length };
}
