import type { ServiceDefinition } from '../service.js';

export const postgres: ServiceDefinition = {
  name: 'postgres',
  profile: 'core',
  defaultImage: 'postgres:16-alpine',
  ports: [{ name: 'postgres', container: 5432, host: 5432, scheme: 'postgresql' }],
  dependsOn: [],
  memoryMb: 200,
  healthTimeoutSeconds: 60,
  container: (ctx) => ({
    image: ctx.config.services.postgres?.image ?? postgres.defaultImage,
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
};
