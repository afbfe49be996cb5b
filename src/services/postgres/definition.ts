import { defineService, storeEntry } from '../service.js';

export const postgres = defineService('postgres', {
  container: (ctx) => ({
    env: {
      POSTGRES_USER: ctx.credentials.postgresUser,
      POSTGRES_PASSWORD: ctx.credentials.postgresPassword,
      POSTGRES_DB: ctx.credentials.postgresDb,
    },
    volumes: [{ volume: 'postgres-data', target: '/var/lib/postgresql/data' }],
    binds: [],
    healthcheck: {
      test: ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'],
      intervalSeconds: 2,
      timeoutSeconds: 3,
      retries: 30,
      startPeriodSeconds: 2,
    },
  }),
  operations: storeEntry(['seed', 'clear'], async () => (await import('./operations.js')).postgresOperations),
});
