import type { WorkerContractInput } from '../schema.js';

/** The `ingestion` settings of apex.config.yaml that apex's own worker (`apex worker`) reads. */
export interface ReferenceSettings {
  namespace: string;
  taskQueue: string;
  workflowType: string;
  testBucket: string;
  qdrantCollection: string;
  redisPrefix: string;
  /** host:port of `apex worker`'s SDK metrics (Prometheus) endpoint. */
  workerMetricsAddress: string;
}

/** The stores apex's worker writes, in the order its saga compensates them. */
const WRITE_STORES = ['postgres', 'neo4j', 'qdrant', 'redis'] as const;

/**
 * apex's own worker: one object argument, every row, node, point and key tagged with the run id, counts that the
 * document determines exactly, faults injected in the apex process, and a saga that fails the execution.
 */
export function referenceContract(settings: ReferenceSettings): WorkerContractInput {
  const runPoints = { must: [{ key: 'run_id', match: { value: '{runId}' } }] };
  const runKeys = `${settings.redisPrefix}doc:{runId}:*`;
  return {
    label: 'reference',
    temporal: { namespace: settings.namespace, taskQueue: settings.taskQueue, workflowType: settings.workflowType, workflowId: '{runId}-{n}' },
    document: {
      name: 'doc-{n}.{extension}',
      delivery: { kind: 's3', bucket: settings.testBucket, prefix: 'runs/{runId}', key: '{prefix}/{documentName}' },
    },
    arguments: {
      runId: '{runId}',
      documentId: '{documentName}',
      bucket: '{bucket}',
      key: '{key}',
      options: { localCpuSteps: '{localCpuSteps}', localStoreWrites: '{localStoreWrites}' },
    },
    result: { documentUuid: 'documentUuid', stores: 'stores', counts: { chunks: 'chunks', entities: 'entities' }, exactCounts: true },
    verify: {
      postgres: [
        { name: 'documents rows', scope: 'run', sql: 'SELECT count(*) FROM documents WHERE run_id = {runId}', expect: { equals: '{completed}' } },
        { name: 'chunks rows', scope: 'run', sql: 'SELECT count(*) FROM chunks WHERE run_id = {runId}', expect: { equals: '{expectedChunks}' } },
        { name: 'entities rows', scope: 'run', sql: 'SELECT count(*) FROM entities WHERE run_id = {runId}', expect: { equals: '{expectedEntities}' } },
      ],
      neo4j: [
        { name: 'Document nodes', scope: 'run', cypher: 'MATCH (d:Document {runId: {runId}}) RETURN count(d)', expect: { equals: '{completed}' } },
        {
          name: 'MENTIONS relationships',
          scope: 'run',
          cypher: 'MATCH ()-[m:MENTIONS {runId: {runId}}]->() RETURN count(m)',
          expect: { equals: '{expectedEntities}' },
        },
      ],
      qdrant: [{ name: 'points', scope: 'run', collection: settings.qdrantCollection, filter: runPoints, expect: { equals: '{expectedChunks}' } }],
      redis: [{ name: 'document keys', scope: 'run', pattern: runKeys, expect: { equals: '{completed}' } }],
      s3: [{ name: 'objects under runs/<runId>/', scope: 'run', bucket: '{bucket}', prefix: '{prefix}/', expect: { equals: '{uploaded}' } }],
    },
    cleanup: {
      // chunks and entities go with their document (ON DELETE CASCADE).
      postgres: [{ sql: 'DELETE FROM documents WHERE run_id = {runId}' }],
      neo4j: [{ cypher: 'MATCH (d:Document {runId: {runId}}) DETACH DELETE d' }],
      qdrant: [{ collection: settings.qdrantCollection, filter: runPoints }],
      redis: [{ pattern: runKeys }],
      s3: [{ bucket: '{bucket}', prefix: '{prefix}/' }],
    },
    faults: { kind: 'in-process' },
    saga: { failedAs: 'execution', failureType: 'WriteSagaCompensated', compensationActivities: WRITE_STORES.map((store) => `compensate_${store}`) },
    // Where `apex worker` serves its SDK metrics, for phase 2E with --external-worker; its catalogue is phases.2e.requiredMetrics.
    worker: { metricsUrl: `http://${settings.workerMetricsAddress}/metrics` },
  };
}
