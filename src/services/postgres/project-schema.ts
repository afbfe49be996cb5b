import type pg from 'pg';
import { pg as pgModule } from '../../vendor/postgres-client.js';
import { inTransaction } from './client.js';
import type { ClearReport, SeedReport, StoreContext } from '../operations.js';
import {
  dataStatements,
  declaresSchema,
  planSchemaFiles,
  projectSchemaFiles,
  schemaFileFailure,
  type AppliedSchemaFile,
  type SchemaFile,
} from '../project-schema.js';
import type { StackContext } from '../service.js';
import { withPostgres } from './probe.js';

/** Records the project's applied files, in the database they went to. */
export const PROJECT_SCHEMA_TABLE = 'apex_schema_files';
/** Serialises concurrent seeds of the same database. */
const SCHEMA_FILES_LOCK = 'apex:schema-files';

/** Where the project's files go: the database the contract's worker uses (its POSTGRES_DB), else POSTGRES_DB. */
export const projectDatabase = (stack: StackContext): string => stack.config.contract.postgresDatabase ?? stack.credentials.postgresDb;

/** True when the project's files own POSTGRES_DB, so that apex's own migrations stay out of it. */
export const projectOwnsDefaultDatabase = (stack: StackContext): boolean =>
  declaresSchema(stack, 'postgres') && projectDatabase(stack) === stack.credentials.postgresDb;

/** Creates the project's database when missing, then applies its pending files, each in its own transaction. */
export async function seedProjectPostgres(ctx: StoreContext): Promise<SeedReport> {
  const report: SeedReport = { applied: [], unchanged: [] };
  if (!declaresSchema(ctx.stack, 'postgres')) return report;
  const files = projectSchemaFiles(ctx.stack, 'postgres');
  const database = projectDatabase(ctx.stack);
  if (await createDatabaseIfMissing(ctx, database)) report.applied.push(`database ${database}`);
  return withPostgres(
    ctx,
    async (pool) => {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [SCHEMA_FILES_LOCK]);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${PROJECT_SCHEMA_TABLE} (file text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        const recorded = await client.query<AppliedSchemaFile>(`SELECT file, checksum FROM ${PROJECT_SCHEMA_TABLE} ORDER BY applied_at, file`);
        const plan = planSchemaFiles('postgres', files, recorded.rows);
        report.unchanged.push(...plan.applied.map((file) => `schema file ${file.file}`));
        for (const file of plan.pending) {
          await inTransaction(client, async () => {
            await runStatements(client, file, file.statements);
            await client.query(`INSERT INTO ${PROJECT_SCHEMA_TABLE} (file, checksum) VALUES ($1, $2)`, [file.file, file.checksum]);
          });
          report.applied.push(`schema file ${file.file}`);
        }
        return report;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [SCHEMA_FILES_LOCK]).catch(() => undefined);
        client.release();
      }
    },
    database,
  );
}

/**
 * Empties every table of the project's database (not apex's records, nor tables an extension owns), then inserts
 * again the rows the applied files insert: the database as seed left it.
 */
export async function clearProjectPostgres(ctx: StoreContext): Promise<ClearReport> {
  if (!declaresSchema(ctx.stack, 'postgres')) return { cleared: [] };
  const files = projectSchemaFiles(ctx.stack, 'postgres');
  const database = projectDatabase(ctx.stack);
  if (!(await databaseExists(ctx, database))) return { cleared: [] };
  return withPostgres(
    ctx,
    async (pool) => {
      const client = await pool.connect();
      try {
        const tables = await userTables(client);
        const applied = new Set(await appliedFiles(client));
        const reinserted = files.filter((file) => applied.has(file.file)).map((file) => ({ file, statements: dataStatements('postgres', file) }));
        await inTransaction(client, async () => {
          if (tables.length > 0) await client.query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
          for (const { file, statements } of reinserted) await runStatements(client, file, statements);
        });
        const rerun = reinserted.filter((entry) => entry.statements.length > 0);
        return {
          cleared: [
            ...(tables.length > 0 ? [`truncated ${tables.join(', ')} in ${database}`] : []),
            ...rerun.map(({ file, statements }) => `${file.file}: ran its ${statements.length} data statement${statements.length > 1 ? 's' : ''} again`),
          ],
        };
      } finally {
        client.release();
      }
    },
    database,
  );
}

async function appliedFiles(client: pg.PoolClient): Promise<string[]> {
  if (!(await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [PROJECT_SCHEMA_TABLE])).rows[0].present) return [];
  return (await client.query<{ file: string }>(`SELECT file FROM ${PROJECT_SCHEMA_TABLE}`)).rows.map((row) => row.file);
}

/** Ordinary and partitioned tables outside the system schemas, but for apex's records and extensions' own tables. */
async function userTables(client: pg.PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        AND c.oid IS DISTINCT FROM to_regclass($1) AND c.oid IS DISTINCT FROM to_regclass('schema_migrations')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1`,
    [PROJECT_SCHEMA_TABLE],
  );
  return rows.map((row) => row.name);
}

async function runStatements(client: pg.PoolClient, file: SchemaFile, statements: SchemaFile['statements']): Promise<void> {
  for (const statement of statements) {
    try {
      await client.query(statement.text);
    } catch (error) {
      throw schemaFileFailure('postgres', file, statement, error);
    }
  }
}

const databaseExists = (ctx: StoreContext, database: string): Promise<boolean> =>
  withPostgres(ctx, async (pool) => (await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1);

/** True when it created the database; one created meanwhile by a concurrent seed is just as good. */
async function createDatabaseIfMissing(ctx: StoreContext, database: string): Promise<boolean> {
  if (await databaseExists(ctx, database)) return false;
  return withPostgres(ctx, async (pool) => {
    try {
      await pool.query(`CREATE DATABASE ${pgModule.escapeIdentifier(database)}`);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  });
}
