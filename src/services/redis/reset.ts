import type { ClearReport, StoreContext } from '../operations.js';
import { withRedis } from './probe.js';

/** Escapes glob characters so that the prefix matches itself only. */
export const globPrefix = (prefix: string): string => `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;

/** Deletes every key under apex's prefix: SCAN (never KEYS, which blocks the server) and UNLINK in batches. */
export const clearRedis = (ctx: StoreContext): Promise<ClearReport> =>
  withRedis(ctx, async (redis) => {
    const prefix = ctx.stack.config.ingestion.redisPrefix;
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: globPrefix(prefix), count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }
    return { cleared: [`unlinked ${deleted} ${prefix}* keys`] };
  });
