import { readFileSync } from 'node:fs';
import type { PoolClient } from 'pg';
import { pg } from '../../vendor/postgres-client.js';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

/**
 * A client that hangs up when it fails to connect. pg-pool drops such a client without ending it: one refused during
 * authentication (no password for a server that asks for one) would hold its socket, and the command, until the
 * server's authentication_timeout (60 s by default).
 */
class HangUpOnFailureClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: (error: Error) => void): void;
  override connect(callback?: (error: Error) => void): Promise<pg.Client> | void {
    if (!callback) return super.connect();
    super.connect((error: Error) => {
      if (error) void this.end().catch(() => undefined);
      callback(error);
    });
  }
}

export function createPostgresPool(endpoint: ServiceEndpoint, credentials: Credentials, max = 10): pg.Pool {
  const tls = endpoint.tls?.enabled ? endpoint.tls : undefined;
  const pool = new pg.Pool({
    host: endpoint.host,
    port: endpoint.ports.postgres,
    user: credentials.postgresUser,
    password: credentials.postgresPassword,
    database: credentials.postgresDb,
    max,
    connectionTimeoutMillis: 5_000,
    ssl: tls ? { ca: tls.caFile ? readFileSync(tls.caFile) : undefined, servername: tls.serverName } : undefined,
    Client: HangUpOnFailureClient,
  });
  // A connection the server closed (a restart, `apex down`) fails its next query with its own error. The 'error'
  // events pg also emits for it (on the pool for an idle connection, on the client for one in use) are not crashes.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
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
