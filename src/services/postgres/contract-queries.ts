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

/** Runs a contract's cleanup statement; returns the rows it removed. */
export async function deleteMatching(pool: pg.Pool, query: PostgresQuery, vars: TemplateVariables): Promise<number> {
  const { text, values } = bindSql(query.sql, vars);
  return runContractQuery('postgres', query.sql, async () => (await pool.query(text, values)).rowCount ?? 0);
}
