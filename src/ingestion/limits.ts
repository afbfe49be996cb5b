/**
 * Size limits that keep every activity payload well under Temporal's 2 MB blob limit: chunks, entities and
 * vectors travel through the workflow history. A document over a limit fails with a reason, never half-written.
 */
export const INGESTION_LIMITS = {
  maxDocumentBytes: 10 * 1024 * 1024,
  maxChunks: 256,
  chunkChars: 800,
  maxEntities: 2_000,
} as const;
export type IngestionLimits = typeof INGESTION_LIMITS;
