import type pg from 'pg';
import { runContractQuery } from '../../contracts/query-error.js';
import { bindSql, type TemplateVariables } from '../../contracts/render.js';
import type { PostgresQuery } from '../../contracts/schema.js';

/** Runs a contract's counting statement: the count is the first column of its first row. */
export async function countMatching(pool: pg.Pool, query: PostgresQuery, vars: TemplateVariables): Promise<number> {
  const { text, values } = bindSql(query.sql, vars);
  return runContractQuery('postgres', query.sql, async () => {
    const { rows } = await pool.query<unknown[]>({ text, values, rowMode: 'array' });
    const count = Number(rows[0]?.[0]);
    if (rows.length === 0 || !Number.isInteger(count))
      throw new Error(`expected one row whose first column is a count, got ${rows.length === 0 ? 'no rows' : JSON.stringify(rows[0])}`);
    return count;
  });
}

/**
 * What a store's cleanup statements would remove, in order, without removing it: they run in one transaction that
 * is rolled back (a child table's rows go before its parent's, as in the cleanup itself).
 */
export async function countRemovable(pool: pg.Pool, statements: readonly { query: PostgresQuery; vars: TemplateVariables }[]): Promise<number> {
  if (statements.length === 0) return 0;
  const client = await runContractQuery('postgres', statements[0].query.sql, () => pool.connect());
  let removable = 0;
  try {
    await client.query('BEGIN');
    for (const { query, vars } of statements) {
      const { text, values } = bindSql(query.sql, vars);
      removable += await runContractQuery('postgres', query.sql, async () => (await client.query(text, values)).rowCount ?? 0);
    }
    return removable;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** Runs a contract's cleanup statement; returns the rows it removed. */
export async function deleteMatching(pool: pg.Pool, query: PostgresQuery, vars: TemplateVariables): Promise<number> {
  const { text, values } = bindSql(query.sql, vars);
  return runContractQuery('postgres', query.sql, async () => (await pool.query(text, values)).rowCount ?? 0);
}
