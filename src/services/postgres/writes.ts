import type pg from 'pg';
import type { Compensation, PostgresWrite } from '../../results/ingestion-contract.js';
import type { StoreWriter } from '../../results/store-writer.js';

/** documents + chunks + entities in one transaction; a retried write finds the document and does nothing. */
export function createPostgresWriter(pool: pg.Pool): StoreWriter<PostgresWrite> {
  return {
    async write({ document, chunks, entities }) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inserted = await client.query(
          `INSERT INTO documents (uuid, run_id, file_name, s3_key, content_type, content_hash, status, chunk_count, entity_count)
           VALUES ($1, $2, $3, $4, $5, $6, 'ingested', $7, $8) ON CONFLICT (uuid) DO NOTHING`,
          [
            document.uuid,
            document.runId,
            document.fileName,
            document.s3Key,
            document.contentType ?? null,
            document.contentHash,
            chunks.length,
            entities.length,
          ],
        );
        if (inserted.rowCount === 1) {
          await client.query(
            `INSERT INTO chunks (uuid, document_uuid, run_id, ordinal, text, content_hash)
             SELECT c.uuid, $1, $2, c.ordinal, c.text, c.hash FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[]) AS c(uuid, ordinal, text, hash)`,
            [
              document.uuid,
              document.runId,
              chunks.map((c) => c.uuid),
              chunks.map((c) => c.ordinal),
              chunks.map((c) => c.text),
              chunks.map((c) => c.contentHash),
            ],
          );
          await client.query(
            `INSERT INTO entities (uuid, document_uuid, run_id, name, kind)
             SELECT e.uuid, $1, $2, e.name, e.kind FROM unnest($3::uuid[], $4::text[], $5::text[]) AS e(uuid, name, kind)`,
            [document.uuid, document.runId, entities.map((e) => e.uuid), entities.map((e) => e.name), entities.map((e) => e.kind)],
          );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async compensate({ documentUuid }: Compensation) {
      // chunks and entities go with it (ON DELETE CASCADE).
      await pool.query('DELETE FROM documents WHERE uuid = $1', [documentUuid]);
    },
  };
}
