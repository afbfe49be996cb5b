import type { ServiceDefinition } from '../service.js';

export const redis: ServiceDefinition = {
  name: 'redis',
  profile: 'core',
  defaultImage: 'redis:7.4-alpine',
  ports: [{ name: 'redis', container: 6379, host: 6379, scheme: 'redis' }],
  dependsOn: [],
  memoryMb: 100,
  healthTimeoutSeconds: 30,
  container: (ctx) => ({
    image: ctx.config.services.redis?.image ?? redis.defaultImage,
    // The password comes from the environment so that it never shows in `docker inspect`'s command line.
    command: ['sh', '-c', 'exec redis-server --appendonly yes --requirepass "$REDIS_PASSWORD"'],
    env: { REDIS_PASSWORD: ctx.credentials.redisPassword },
    volumes: [{ volume: 'redis-data', target: '/data' }],
    binds: [],
    healthcheck: {
      test: ['CMD-SHELL', 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG'],
      intervalSeconds: 2,
      timeoutSeconds: 3,
      retries: 30,
      startPeriodSeconds: 1,
    },
  }),
};
