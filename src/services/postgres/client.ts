import { readFileSync } from 'node:fs';
import type { PoolClient } from 'pg';
import { pg } from '../../vendor/postgres-client.js';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

export function createPostgresPool(endpoint: ServiceEndpoint, credentials: Credentials, max = 10): pg.Pool {
  const tls = endpoint.tls?.enabled ? endpoint.tls : undefined;
  return new pg.Pool({
    host: endpoint.host,
    port: endpoint.ports.postgres,
    user: credentials.postgresUser,
    password: credentials.postgresPassword,
    database: credentials.postgresDb,
    max,
    connectionTimeoutMillis: 5_000,
    ssl: tls ? { ca: tls.caFile ? readFileSync(tls.caFile) : undefined, servername: tls.serverName } : undefined,
  });
}

/** Runs `work` in one transaction on the client: committed when it returns, rolled back when it throws. */
export async function inTransaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
