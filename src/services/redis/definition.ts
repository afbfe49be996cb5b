import { defineService, storeEntry } from '../service.js';

export const redis = defineService('redis', {
  container: (ctx) => ({
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
  operations: storeEntry(['seed', 'clear'], async () => (await import('./operations.js')).redisOperations),
});
