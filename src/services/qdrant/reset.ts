import type { ClearReport, StoreContext } from '../operations.js';
import { qdrantClientFor } from './seed.js';

/** Drops the collection; seed recreates it empty with the configured vector size. */
export async function clearQdrant(ctx: StoreContext): Promise<ClearReport> {
  const client = qdrantClientFor(ctx);
  const name = ctx.stack.config.ingestion.qdrantCollection;
  const { exists } = await client.collectionExists(name);
  if (!exists) return { cleared: [] };
  const { points_count: points } = await client.getCollection(name);
  await client.deleteCollection(name);
  return { cleared: [`dropped collection ${name} (${points ?? 0} points)`] };
}
