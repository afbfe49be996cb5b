import type { ServiceDefinition } from '../service.js';

export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

export const temporal: ServiceDefinition = {
  name: 'temporal',
  profile: 'core',
  defaultImage: 'temporalio/temporal:1.5.1',
  ports: [
    { name: 'grpc', container: 7233, host: 7233, scheme: 'grpc' },
    { name: 'ui', container: 8233, host: 8233, scheme: 'http', ui: true },
    { name: 'metrics', container: 9000, host: 9000, scheme: 'http' },
  ],
  dependsOn: [],
  memoryMb: 300,
  healthTimeoutSeconds: 90,
  container: (ctx) => ({
    image: ctx.config.services.temporal?.image ?? temporal.defaultImage,
    command: [
      'server',
      'start-dev',
      '--ip',
      '0.0.0.0',
      '--ui-ip',
      '0.0.0.0',
      '--db-filename',
      '/data/temporal.db',
      // The dev server is fsync-bound; WAL with synchronous=NORMAL keeps the database consistent on a crash (a power
      // cut may lose the last transactions) and doubles workflows/s (bench/ingestion.bench.ts).
      ...SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
      '--namespace',
      ctx.config.ingestion.namespace,
      '--metrics-port',
      '9000',
      '--log-level',
      'warn',
    ],
    env: {},
    volumes: [{ volume: 'temporal-data', target: '/data' }],
    binds: [],
  }),
};
