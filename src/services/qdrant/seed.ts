import type { QdrantClient } from '@qdrant/js-client-rest';
import { ApexError } from '../../errors.js';
import { httpStatusOf } from '../http-probe.js';
import type { SeedReport, StoreContext } from '../operations.js';
import { projectCollections, type ProjectCollection } from '../project-schema.js';
import { createQdrantClient } from './client.js';

/** Payload fields the worker and the phases filter on. */
export const QDRANT_KEYWORD_INDEXES = ['run_id', 'document_uuid'] as const;
const DISTANCE = 'Cosine' as const;

export const qdrantClientFor = (ctx: StoreContext): QdrantClient => createQdrantClient(ctx.endpoint, ctx.stack.credentials);

/** Creates the chunk collection with the embedding size from config, its keyword payload indexes, and the project's collections. */
export async function seedQdrant(ctx: StoreContext): Promise<SeedReport> {
  const client = qdrantClientFor(ctx);
  const name = ctx.stack.config.ingestion.qdrantCollection;
  const size = ctx.stack.config.ingestion.embeddings.dimensions;
  const report: SeedReport = { applied: [], unchanged: [] };
  await createCollectionIfMissing(
    client,
    { name, size, distance: DISTANCE },
    report,
    `Recreate it empty with \`apex reset --service qdrant\`, or set ingestion.embeddings.dimensions to its size.`,
  );
  const schema = (await client.getCollection(name)).payload_schema ?? {};
  for (const field of QDRANT_KEYWORD_INDEXES) {
    if (schema[field]?.data_type === 'keyword') {
      report.unchanged.push(`payload index ${field}`);
    } else {
      await client.createPayloadIndex(name, { field_name: field, field_schema: 'keyword', wait: true });
      report.applied.push(`payload index ${field}`);
    }
  }
  for (const collection of projectCollections(ctx.stack)) {
    await createCollectionIfMissing(
      client,
      collection,
      report,
      `Recreate it empty with \`apex reset --service qdrant\` (it drops the collections ${ctx.stack.config.schema.qdrant} declares), or declare its size there.`,
    );
  }
  return report;
}

/** A collection with another vector size or distance is refused: points written to it would not fit. */
async function createCollectionIfMissing(client: QdrantClient, wanted: ProjectCollection, report: SeedReport, fix: string): Promise<void> {
  const described = `collection ${wanted.name} (${wanted.size}, ${wanted.distance})`;
  const { exists } = await client.collectionExists(wanted.name);
  if (exists) {
    const vectors = (await client.getCollection(wanted.name)).config.params.vectors as { size?: number; distance?: string } | undefined;
    if (vectors?.size !== wanted.size || vectors.distance !== wanted.distance) {
      throw new ApexError(
        'QDRANT_COLLECTION_MISMATCH',
        `qdrant collection ${wanted.name} has vectors ${JSON.stringify(vectors)}, but config wants size ${wanted.size}, ${wanted.distance}.`,
        fix,
      );
    }
    report.unchanged.push(described);
    return;
  }
  // 409: a concurrent seed created it a moment ago, which is just as good.
  await client.createCollection(wanted.name, { vectors: { size: wanted.size, distance: wanted.distance } }).catch((error: unknown) => {
    if (httpStatusOf(error) !== 409) throw error;
  });
  report.applied.push(described);
}
