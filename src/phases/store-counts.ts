import type { StackContext } from '../services/service.js';
import { countNeo4jRun } from '../services/neo4j/counts.js';
import { countPostgresRun } from '../services/postgres/counts.js';
import { countQdrantRun } from '../services/qdrant/counts.js';
import { countRedisRun } from '../services/redis/counts.js';
import { countS3Run } from '../services/s3/counts.js';
import { deleteNeo4jRun } from '../services/neo4j/writes.js';
import { deletePostgresRun } from '../services/postgres/writes.js';
import { deleteQdrantRun } from '../services/qdrant/writes.js';
import { deleteRedisRun } from '../services/redis/writes.js';
import { deleteS3Run } from '../services/s3/writes.js';
import { errorMessage } from '../errors.js';
import type { StoreClients } from '../ingestion/worker-dependencies.js';
import type { RunCounts } from '../results/store-writer.js';
import type { FailureEvidence } from '../results/run-result.js';

type Store = 'postgres' | 'neo4j' | 'qdrant' | 'redis' | 's3';

/** Counts one run in all five stores at once; a store that fails to answer becomes evidence naming it. */
export async function countRunInStores(
  stack: StackContext,
  clients: StoreClients,
  bucket: string,
  runId: string,
): Promise<{ counts: Partial<RunCounts>; errors: FailureEvidence[] }> {
  const { qdrantCollection, redisPrefix } = stack.config.ingestion;
  return countWith(runId, {
    postgres: () => countPostgresRun(clients.postgres, runId),
    neo4j: () => countNeo4jRun(clients.neo4j, runId),
    qdrant: () => countQdrantRun(clients.qdrant, qdrantCollection, runId),
    redis: () => countRedisRun(clients.redis, redisPrefix, runId),
    s3: () => countS3Run(clients.s3, bucket, runId),
  });
}

/** Runs every store's counter at once and merges what answered; a store that did not is evidence, never a zero. */
export async function countWith(
  runId: string,
  counters: Record<Store, () => Promise<Partial<RunCounts>>>,
): Promise<{ counts: Partial<RunCounts>; errors: FailureEvidence[] }> {
  const entries = Object.entries(counters) as [Store, () => Promise<Partial<RunCounts>>][];
  const settled = await Promise.allSettled(entries.map(([, count]) => count()));
  const counts: Partial<RunCounts> = {};
  const errors: FailureEvidence[] = [];
  settled.forEach((result, index) => {
    const store = entries[index][0];
    if (result.status === 'fulfilled') Object.assign(counts, result.value);
    else
      errors.push({ source: 'store', summary: `${store}: cannot count run ${runId}`, lines: [`${store}: ${describeStoreError(result.reason)}`], workflows: 0 });
  });
  return { counts, errors };
}

export function describeStoreError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const name = (error as { name?: string }).name;
  return [name && name !== 'Error' ? name : undefined, code, errorMessage(error)].filter(Boolean).join(': ');
}

export async function deleteRunFromStores(stack: StackContext, clients: StoreClients, bucket: string, runId: string): Promise<void> {
  const { qdrantCollection, redisPrefix } = stack.config.ingestion;
  await Promise.all([
    deletePostgresRun(clients.postgres, runId),
    deleteNeo4jRun(clients.neo4j, runId),
    deleteQdrantRun(clients.qdrant, qdrantCollection, runId),
    deleteRedisRun(clients.redis, redisPrefix, runId),
    deleteS3Run(clients.s3, bucket, runId),
  ]);
}
