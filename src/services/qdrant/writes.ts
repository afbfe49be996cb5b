import type { QdrantClient } from '@qdrant/js-client-rest';
import type { Compensation, QdrantWrite } from '../../results/ingestion-contract.js';
import { decodeVector } from '../../results/vector-encoding.js';
import type { StoreWriter } from '../../results/store-writer.js';

/** One point per chunk, id = chunk uuid: an upsert, so a retry rewrites the same points. */
export function createQdrantWriter(client: QdrantClient, collection: string): StoreWriter<QdrantWrite> {
  return {
    async write({ document, chunks, embeddings }) {
      await client.upsert(collection, {
        wait: true,
        points: chunks.map((chunk, index) => ({
          id: chunk.uuid,
          vector: decodeVector(embeddings.vectors[index]),
          payload: { run_id: document.runId, document_uuid: document.uuid, ordinal: chunk.ordinal, file_name: document.fileName },
        })),
      });
    },
    async compensate({ documentUuid }: Compensation) {
      await client.delete(collection, { wait: true, filter: { must: [{ key: 'document_uuid', match: { value: documentUuid } }] } });
    },
  };
}
