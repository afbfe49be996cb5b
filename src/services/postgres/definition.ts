import { defineService, storeEntry } from '../service.js';

/** A data directory this image's PostgreSQL cannot start on: another major version, foreign files, or unwritable. */
const DATA_DIRECTORY_CHECK = `
dir="$1"
[ -n "$(ls -A "$dir" 2>/dev/null)" ] || exit 0
if [ "$(id -u)" != 0 ] && [ ! -w "$dir" ]; then
  echo "a directory owned by uid $(stat -c %u "$dir") that the image's user (uid $(id -u)) cannot write"; exit 0
fi
if [ ! -s "$dir/PG_VERSION" ]; then
  echo "files that are not a PostgreSQL data directory (no PG_VERSION): $(ls -A "$dir" | head -n 5 | paste -sd ' ' -)"; exit 0
fi
found=$(cat "$dir/PG_VERSION")
major=$(postgres -V 2>/dev/null | sed 's/[^0-9]*\\([0-9]*\\).*/\\1/')
[ -z "$major" ] || [ "$found" = "$major" ] || echo "a PostgreSQL $found data directory; the image runs PostgreSQL $major"
`;

export const postgres = defineService('postgres', {
  container: (ctx) => ({
    env: {
      POSTGRES_USER: ctx.credentials.postgresUser,
      POSTGRES_PASSWORD: ctx.credentials.postgresPassword,
      POSTGRES_DB: ctx.credentials.postgresDb,
    },
    volumes: [{ volume: 'postgres-data', target: '/var/lib/postgresql/data', check: DATA_DIRECTORY_CHECK }],
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
