import { defineService, storeEntry } from '../service.js';

export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

export const temporal = defineService('temporal', {
  container: (ctx) => ({
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
  operations: storeEntry(['seed', 'clear'], async () => (await import('./operations.js')).temporalOperations),
});
