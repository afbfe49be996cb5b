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
