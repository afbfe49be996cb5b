import type { Redis } from 'ioredis';
import { credentialDiagnosis, hasErrorCode } from '../failure.js';
import { withResource, type Diagnosis, type ProbeReport, type StoreContext } from '../operations.js';
import { connectRedis } from './client.js';

/** A connected client for an operation, disconnected when it ends or is aborted. */
export const withRedis = <T>(ctx: StoreContext, use: (redis: Redis) => Promise<T>): Promise<T> =>
  withResource(
    ctx.signal,
    () => connectRedis(ctx.endpoint, ctx.stack.credentials),
    (redis) => redis.disconnect(),
    use,
  );

export const probeRedis = (ctx: StoreContext): Promise<ProbeReport> =>
  withRedis(ctx, async (redis) => {
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    const info = await redis.info('server');
    const version = /^redis_version:(.+)$/m.exec(info)?.[1]?.trim();
    const mode = /^redis_mode:(.+)$/m.exec(info)?.[1]?.trim();
    return { version, detail: `PING; INFO${mode ? ` (${mode})` : ''}` };
  });

export function diagnoseRedis(error: unknown, ctx: StoreContext): Diagnosis | undefined {
  if (hasErrorCode(error, 'WRONGPASS', 'NOAUTH', 'invalid password', 'invalid username-password')) {
    return credentialDiagnosis(ctx, 'REDIS_PASSWORD', error instanceof Error ? error.message : String(error));
  }
  return undefined;
}
