import type { ClearReport, StoreContext } from '../operations.js';
import { projectCollections } from '../project-schema.js';
import { qdrantClientFor } from './seed.js';

/** Drops apex's collection and the project's; seed recreates them empty with their vector sizes. */
export async function clearQdrant(ctx: StoreContext): Promise<ClearReport> {
  const client = qdrantClientFor(ctx);
  const names = [...new Set([ctx.stack.config.ingestion.qdrantCollection, ...projectCollections(ctx.stack).map((collection) => collection.name)])];
  const cleared: string[] = [];
  for (const name of names) {
    const { exists } = await client.collectionExists(name);
    if (!exists) continue;
    const { points_count: points } = await client.getCollection(name);
    await client.deleteCollection(name);
    cleared.push(`dropped collection ${name} (${points ?? 0} points)`);
  }
  return { cleared };
}
