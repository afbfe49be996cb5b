import { join } from 'node:path';
import type pg from 'pg';
import { declaredObjects, loadMigrations, migrationFailure, planMigrations, type AppliedMigration, type Migration } from '../migrations.js';
import type { SeedReport, StoreContext } from '../operations.js';
import { ApexError } from '../../errors.js';
import { inTransaction } from './client.js';
import { withPostgres } from './probe.js';
import { projectOwnsDefaultDatabase, seedProjectPostgres } from './project-schema.js';

export const MIGRATIONS_TABLE = 'schema_migrations';
/** Serialises concurrent seeds of the same database. */
const MIGRATION_LOCK = 'apex:migrations';

export const postgresMigrations = (ctx: StoreContext): Migration[] => loadMigrations(join(ctx.stack.templatesDir, 'migrations', 'postgres'), 'sql');

/** The tables the migrations create, in file order: what a soft reset truncates. */
export const postgresTables = (ctx: StoreContext): string[] =>
  declaredObjects(postgresMigrations(ctx))
    .filter((object) => object.kind === 'table')
    .map((object) => object.name);

/**
 * apex's own migrations (the reference worker's tables) in POSTGRES_DB, unless the project's files own that
 * database; then the project's files in theirs.
 */
export async function seedPostgres(ctx: StoreContext): Promise<SeedReport> {
  const own: SeedReport = projectOwnsDefaultDatabase(ctx.stack)
    ? { applied: [], unchanged: [`apex's own migrations left out: schema.postgres declares ${ctx.stack.credentials.postgresDb}`] }
    : await applyOwnMigrations(ctx);
  const project = await seedProjectPostgres(ctx);
  return { applied: [...own.applied, ...project.applied], unchanged: [...own.unchanged, ...project.unchanged] };
}

/** Applies the pending migrations, each in its own transaction, and repairs tables or indexes dropped by hand. */
const applyOwnMigrations = (ctx: StoreContext): Promise<SeedReport> =>
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
        await assertCreatesOnlyNewTables(client, ctx.stack.credentials.postgresDb, migration);
        await applyInTransaction(client, [migration], true);
        report.applied.push(`migration ${migration.name}`);
      }
      return report;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  });

/** apex's migrations never touch a table they did not create: a pending one whose table exists already is refused. */
async function assertCreatesOnlyNewTables(client: pg.PoolClient, database: string, migration: Migration): Promise<void> {
  const tables = declaredObjects([migration]).flatMap((object) => (object.kind === 'table' ? [object.name] : []));
  const { rows } = await client.query<{ name: string }>('SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL', [tables]);
  if (rows.length === 0) return;
  const names = rows.map((row) => row.name).join(', ');
  throw new ApexError(
    'MIGRATION_FOREIGN_TABLE',
    `postgres: ${database} already has ${names}, which apex's migration ${migration.file} did not create; apex leaves ${rows.length > 1 ? 'them' : 'it'} alone.`,
    `List your project's schema files under \`schema.postgres\` in apex.config.yaml (apex then applies those and keeps its own tables out of ${database}), or set POSTGRES_DB to a database of apex's own.`,
  );
}

async function missingRelations(client: pg.PoolClient, applied: readonly Migration[]): Promise<string[]> {
  const names = declaredObjects(applied).map((object) => object.name);
  if (names.length === 0) return [];
  const { rows } = await client.query<{ name: string }>('SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL', [names]);
  return rows.map((row) => row.name);
}

/** All or nothing: a failed statement rolls back the whole set and is named in the error. */
const applyInTransaction = (client: pg.PoolClient, migrations: readonly Migration[], record = false): Promise<void> =>
  inTransaction(client, async () => {
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
  });
