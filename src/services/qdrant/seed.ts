import type { QdrantClient } from '@qdrant/js-client-rest';
import { ApexError } from '../../errors.js';
import { httpStatusOf } from '../http-probe.js';
import type { SeedReport, StoreContext } from '../operations.js';
import { createQdrantClient } from './client.js';

/** Payload fields the worker and the phases filter on. */
export const QDRANT_KEYWORD_INDEXES = ['run_id', 'document_uuid'] as const;
const DISTANCE = 'Cosine';

export const qdrantClientFor = (ctx: StoreContext): QdrantClient => createQdrantClient(ctx.endpoint, ctx.stack.credentials);

/** Creates the chunk collection with the embedding size from config, and its keyword payload indexes. */
export async function seedQdrant(ctx: StoreContext): Promise<SeedReport> {
  const client = qdrantClientFor(ctx);
  const name = ctx.stack.config.ingestion.qdrantCollection;
  const size = ctx.stack.config.ingestion.embeddings.dimensions;
  const report: SeedReport = { applied: [], unchanged: [] };
  const { exists } = await client.collectionExists(name);
  if (exists) {
    assertVectorParams(name, size, await client.getCollection(name));
    report.unchanged.push(`collection ${name} (${size}, ${DISTANCE})`);
  } else {
    // 409: a concurrent seed created it a moment ago, which is just as good.
    await client.createCollection(name, { vectors: { size, distance: DISTANCE } }).catch((error: unknown) => {
      if (httpStatusOf(error) !== 409) throw error;
    });
    report.applied.push(`collection ${name} (${size}, ${DISTANCE})`);
  }
  const schema = (await client.getCollection(name)).payload_schema ?? {};
  for (const field of QDRANT_KEYWORD_INDEXES) {
    if (schema[field]?.data_type === 'keyword') {
      report.unchanged.push(`payload index ${field}`);
    } else {
      await client.createPayloadIndex(name, { field_name: field, field_schema: 'keyword', wait: true });
      report.applied.push(`payload index ${field}`);
    }
  }
  return report;
}

type CollectionInfo = Awaited<ReturnType<QdrantClient['getCollection']>>;

function assertVectorParams(name: string, size: number, info: CollectionInfo): void {
  const vectors = info.config.params.vectors as { size?: number; distance?: string } | undefined;
  if (vectors?.size === size && vectors.distance === DISTANCE) return;
  throw new ApexError(
    'QDRANT_COLLECTION_MISMATCH',
    `qdrant collection ${name} has vectors ${JSON.stringify(vectors)}, but config wants size ${size}, ${DISTANCE}.`,
    `Recreate it empty with \`apex reset --service qdrant\`, or set ingestion.embeddings.dimensions to ${vectors?.size ?? 'its size'}.`,
  );
}
