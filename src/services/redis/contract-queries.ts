import type { Redis } from 'ioredis';
import { runContractQuery } from '../../contracts/query-error.js';
import { renderGlob, type TemplateVariables } from '../../contracts/render.js';
import type { RedisQuery } from '../../contracts/schema.js';
import { scanKeys } from './writes.js';

/** The keys that match a contract's glob (values substituted into it match only themselves). */
export async function countMatching(redis: Redis, query: RedisQuery, vars: TemplateVariables): Promise<number> {
  const pattern = renderGlob(query.pattern, vars);
  return runContractQuery('redis', query.pattern, async () => (await scanKeys(redis, pattern)).length);
}

/** Deletes the keys that match a contract's glob; returns how many it deleted. */
export async function deleteMatching(redis: Redis, query: RedisQuery, vars: TemplateVariables): Promise<number> {
  const pattern = renderGlob(query.pattern, vars);
  return runContractQuery('redis', query.pattern, async () => {
    const keys = await scanKeys(redis, pattern);
    let deleted = 0;
    for (let index = 0; index < keys.length; index += 1000) deleted += await redis.del(...keys.slice(index, index + 1000));
    return deleted;
  });
}
