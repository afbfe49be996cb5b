import type { SeedReport, StoreContext } from '../operations.js';
import { withRedis } from './probe.js';

/** Bumped when the layout of apex's keys changes; the worker can refuse a cache it does not understand. */
export const REDIS_SCHEMA_VERSION = '1';

export const schemaVersionKey = (ctx: StoreContext): string => `${ctx.stack.config.ingestion.redisPrefix}schema_version`;

export const seedRedis = (ctx: StoreContext): Promise<SeedReport> =>
  withRedis(ctx, async (redis) => {
    const key = schemaVersionKey(ctx);
    if ((await redis.get(key)) === REDIS_SCHEMA_VERSION) return { applied: [], unchanged: [`${key}=${REDIS_SCHEMA_VERSION}`] };
    await redis.set(key, REDIS_SCHEMA_VERSION);
    return { applied: [`${key}=${REDIS_SCHEMA_VERSION}`], unchanged: [] };
  });
