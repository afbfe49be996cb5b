import { join } from 'node:path';
import type pg from 'pg';
import { declaredObjects, loadMigrations, migrationFailure, planMigrations, type AppliedMigration, type Migration } from '../migrations.js';
import type { SeedReport, StoreContext } from '../operations.js';
import { withPostgres } from './probe.js';

export const MIGRATIONS_TABLE = 'schema_migrations';
/** Serialises concurrent seeds of the same database. */
const MIGRATION_LOCK = 'apex:migrations';

export const postgresMigrations = (ctx: StoreContext): Migration[] => loadMigrations(join(ctx.stack.templatesDir, 'migrations', 'postgres'), 'sql');

/** The tables the migrations create, in file order: what a soft reset truncates. */
export const postgresTables = (ctx: StoreContext): string[] =>
  declaredObjects(postgresMigrations(ctx))
    .filter((object) => object.kind === 'table')
    .map((object) => object.name);

/** Applies the pending migrations, each in its own transaction, and repairs tables or indexes dropped by hand. */
export const seedPostgres = (ctx: StoreContext): Promise<SeedReport> =>
  withPostgres(ctx, async (pool) => {
    const migrations = postgresMigrations(ctx);
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
          version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const recorded = await client.query<AppliedMigration>(`SELECT version, name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY version`);
      const plan = planMigrations('postgres', migrations, recorded.rows);
      const report: SeedReport = { applied: [], unchanged: [] };
      const missing = await missingRelations(client, plan.applied);
      if (missing.length > 0) {
        await applyInTransaction(client, plan.applied);
        report.applied.push(`repaired ${missing.join(', ')} (re-applied ${plan.applied.map((m) => m.file).join(', ')})`);
      } else {
        report.unchanged.push(...plan.applied.map((migration) => `migration ${migration.name}`));
      }
      for (const migration of plan.pending) {
        await applyInTransaction(client, [migration], true);
        report.applied.push(`migration ${migration.name}`);
      }
      return report;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  });

async function missingRelations(client: pg.PoolClient, applied: readonly Migration[]): Promise<string[]> {
  const names = declaredObjects(applied).map((object) => object.name);
  if (names.length === 0) return [];
  const { rows } = await client.query<{ name: string }>('SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL', [names]);
  return rows.map((row) => row.name);
}

/** All or nothing: a failed statement rolls back the whole set and is named in the error. */
async function applyInTransaction(client: pg.PoolClient, migrations: readonly Migration[], record = false): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const migration of migrations) {
      for (const statement of migration.statements) {
        try {
          await client.query(statement.text);
        } catch (error) {
          throw migrationFailure('postgres', migration, statement, error);
        }
      }
      if (record) {
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum) VALUES ($1, $2, $3)`, [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
