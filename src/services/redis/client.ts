import { Redis } from '../../vendor/redis-client.js';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

/**
 * A client that connects on first use. A server that goes away (a restart, `apex down`) fails each command with its
 * own error; the 'error' events ioredis also emits are handled, so it prints no "Unhandled error event".
 */
export function createRedisClient(endpoint: ServiceEndpoint, credentials: Credentials): Redis {
  const redis = new Redis({
    host: endpoint.host,
    port: endpoint.ports.redis,
    password: credentials.redisPassword || undefined,
    tls: endpoint.tls?.enabled ? { servername: endpoint.tls.serverName } : undefined,
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  return redis;
}

/**
 * A connected client. A failed connect rejects with the cause (ECONNREFUSED, WRONGPASS), which ioredis reports only
 * as an 'error' event while its promise says "Connection is closed".
 */
export async function connectRedis(endpoint: ServiceEndpoint, credentials: Credentials): Promise<Redis> {
  const redis = createRedisClient(endpoint, credentials);
  let cause: unknown;
  redis.on('error', (error: unknown) => (cause ??= error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw cause ?? error;
  }
  return redis;
}
