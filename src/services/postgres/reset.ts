import { pg } from '../../vendor/postgres-client.js';
import type { ClearReport, StoreContext } from '../operations.js';
import { withPostgres } from './probe.js';
import { clearProjectPostgres, projectOwnsDefaultDatabase } from './project-schema.js';
import { postgresTables } from './seed.js';

const quoteName = (name: string): string => name.split('.').map(pg.escapeIdentifier).join('.');

/** Empties apex's own tables (unless the project's files own POSTGRES_DB) and the project's database; the records of what ran stay. */
export async function clearPostgres(ctx: StoreContext): Promise<ClearReport> {
  const own = projectOwnsDefaultDatabase(ctx.stack) ? { cleared: [] } : await clearOwnTables(ctx);
  const project = await clearProjectPostgres(ctx);
  return { cleared: [...own.cleared, ...project.cleared] };
}

/** Empties the tables the migrations create; schema_migrations stays, so seed finds the schema in place. */
const clearOwnTables = (ctx: StoreContext): Promise<ClearReport> =>
  withPostgres(ctx, async (pool) => {
    const tables = postgresTables(ctx);
    const { rows } = await pool.query<{ name: string }>(
      'SELECT name FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n) WHERE to_regclass(name) IS NOT NULL ORDER BY n',
      [tables],
    );
    const present = rows.map((row) => row.name);
    if (present.length === 0) return { cleared: [] };
    await pool.query(`TRUNCATE ${present.map(quoteName).join(', ')} CASCADE`);
    return { cleared: [`truncated ${present.join(', ')}`] };
  });
