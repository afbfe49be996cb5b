import { credentialDiagnosis } from '../failure.js';
import { withResource, type Diagnosis, type ProbeReport, type StoreContext } from '../operations.js';
import { createPostgresPool } from './client.js';
import type pg from 'pg';

/** A one-connection pool for an operation (on POSTGRES_DB unless `database` says otherwise), closed when it ends or is aborted. */
export const withPostgres = <T>(ctx: StoreContext, use: (pool: pg.Pool) => Promise<T>, database = ctx.stack.credentials.postgresDb): Promise<T> =>
  withResource(
    ctx.signal,
    () => createPostgresPool(ctx.endpoint, { ...ctx.stack.credentials, postgresDb: database }, 1),
    (pool) => pool.end(),
    use,
  );

export const probePostgres = (ctx: StoreContext): Promise<ProbeReport> =>
  withPostgres(ctx, async (pool) => {
    const { rows } = await pool.query<{ one: number; version: string }>("SELECT 1 AS one, current_setting('server_version') AS version");
    if (rows[0]?.one !== 1) throw new Error(`SELECT 1 returned ${JSON.stringify(rows[0])}`);
    return { version: rows[0].version, detail: 'SELECT 1' };
  });

/** PostgreSQL's SQLSTATE codes for a login it refused. */
export function diagnosePostgres(error: unknown, ctx: StoreContext): Diagnosis | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code === '28P01' || code === '28000') return credentialDiagnosis(ctx, 'POSTGRES_PASSWORD', message ?? code);
  // pg's own refusal to answer a SCRAM challenge without a password (the server never sees one).
  if (/client password must be a (non-empty )?string/.test(message ?? '')) {
    return credentialDiagnosis(ctx, 'POSTGRES_PASSWORD', 'the server asks for a password, and POSTGRES_PASSWORD is empty');
  }
  if (code === '3D000') {
    return {
      error: `postgres: ${message}`,
      fix: `Set POSTGRES_DB to an existing database, or create it: \`createdb -h ${ctx.endpoint.host} ${ctx.stack.credentials.postgresDb}\`.`,
    };
  }
  return undefined;
}
