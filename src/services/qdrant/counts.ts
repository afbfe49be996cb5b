import type { QdrantClient } from '@qdrant/js-client-rest';
import type { RunCounts } from '../../results/store-writer.js';

export async function countQdrantRun(client: QdrantClient, collection: string, runId: string): Promise<Pick<RunCounts, 'points'>> {
  const { count } = await client.count(collection, { exact: true, filter: { must: [{ key: 'run_id', match: { value: runId } }] } });
  return { points: count };
}
