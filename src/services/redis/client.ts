import { Redis } from '../../vendor/redis-client.js';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

export function createRedisClient(endpoint: ServiceEndpoint, credentials: Credentials): Redis {
  return new Redis({
    host: endpoint.host,
    port: endpoint.ports.redis,
    password: credentials.redisPassword || undefined,
    tls: endpoint.tls?.enabled ? { servername: endpoint.tls.serverName } : undefined,
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
}

/**
 * A connected client. A failed connect rejects with the cause (ECONNREFUSED, WRONGPASS), which ioredis reports only
 * as an 'error' event while its promise says "Connection is closed". Later 'error' events (the server went away) are
 * handled: each command then fails with its own error, and ioredis prints no "Unhandled error event".
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
