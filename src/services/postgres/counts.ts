import type pg from 'pg';
import type { RunCounts } from '../../results/store-writer.js';

/** Exact rows of one run. Matches run_id (text), never LIKE on the uuid column (PostgreSQL has no LIKE for uuid). */
export async function countPostgresRun(pool: pg.Pool, runId: string): Promise<Pick<RunCounts, 'documents' | 'chunks' | 'entities'>> {
  const { rows } = await pool.query<{ documents: string; chunks: string; entities: string }>(
    `SELECT (SELECT count(*) FROM documents WHERE run_id = $1) AS documents,
            (SELECT count(*) FROM chunks WHERE run_id = $1) AS chunks,
            (SELECT count(*) FROM entities WHERE run_id = $1) AS entities`,
    [runId],
  );
  return { documents: Number(rows[0].documents), chunks: Number(rows[0].chunks), entities: Number(rows[0].entities) };
}
