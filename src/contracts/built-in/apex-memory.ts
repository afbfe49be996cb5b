import type { WorkerContractInput } from '../schema.js';

/** The team's documents carry no run id: a run's rows are the ones whose file name holds it. */
const RUN_FILE_NAMES = "file_name LIKE 'load-test-' || {runId}::text || '-doc-%'";
const DOCUMENT_POINTS = { must: [{ key: 'document_uuid', match: { value: '{documentUuid}' } }] };
const COLLECTION = 'apex_documents';

/** Present for a document that succeeded, absent for one whose writes the saga rolled back. */
function presence<Query extends object>(name: string, query: Query, whenSucceeded: { present: true } | { atLeast: number } = { present: true }) {
  return [
    { name, scope: 'document' as const, when: 'succeeded' as const, ...query, expect: whenSucceeded },
    { name: `${name} (rolled back)`, scope: 'document' as const, when: 'failed' as const, ...query, expect: { absent: true as const } },
  ];
}

/**
 * The Apex Memory team's Python worker, S3 era: DocumentIngestionWorkflow.run(document_id, source, bucket, prefix)
 * on `apex-ingestion-queue` in `default`, a failure returned as `{status: "failed", error}`, stores keyed on the
 * document's uuid, and chunk and entity counts chosen by Docling and an LLM (presence and at-least checks only).
 * The worker itself is the team's: `worker.command` is theirs to set; the environment it reads is mapped here.
 */
export const apexMemoryContract: WorkerContractInput = {
  label: 'apex-memory',
  temporal: { namespace: 'default', taskQueue: 'apex-ingestion-queue', workflowType: 'DocumentIngestionWorkflow', workflowId: 'load-test-{runId}-{n}' },
  document: {
    name: 'load-test-{runId}-doc-{n}.{extension}',
    delivery: { kind: 's3', bucket: 'apex-documents-test', prefix: 'load-test', key: '{prefix}/{documentName}' },
  },
  arguments: ['{documentName}', 'load-test', '{bucket}', '{prefix}'],
  result: {
    success: { field: 'status', equals: 'success' },
    failureReason: 'error',
    documentUuid: 'uuid',
    documentUuidFromActivity: { activity: 'parse_document_activity', field: 'uuid' },
    stores: 'databases_written',
    exactCounts: false,
  },
  // Their schema has `embedding vector(1536)` columns and their Cypher calls APOC.
  stack: {
    postgres: { image: 'pgvector/pgvector:pg17' },
    neo4j: {
      env: {
        NEO4J_PLUGINS: '["apoc"]',
        NEO4J_dbms_security_procedures_unrestricted: 'apoc.*',
        NEO4J_dbms_security_procedures_allowlist: 'apoc.*',
      },
    },
  },
  postgresDatabase: 'apex_memory',
  verify: {
    postgres: [
      ...presence('documents row', { sql: 'SELECT count(*) FROM documents WHERE file_name = {documentName}' }),
      ...presence('chunks rows', { sql: 'SELECT count(*) FROM chunks WHERE document_uuid = {documentUuid}' }, { atLeast: 1 }),
      { name: 'documents rows of the run', scope: 'run', sql: `SELECT count(*) FROM documents WHERE ${RUN_FILE_NAMES}`, expect: { equals: '{completed}' } },
    ],
    neo4j: presence('Document node', { cypher: 'MATCH (d:Document {uuid: {documentUuid}}) RETURN count(d)' }),
    qdrant: presence('points of the document', { collection: COLLECTION, filter: DOCUMENT_POINTS }, { atLeast: 1 }),
    redis: presence('document cache key', { pattern: 'doc:{documentUuid}' }),
    s3: [{ name: 'uploaded documents', scope: 'run', bucket: '{bucket}', prefix: '{prefix}/load-test-{runId}-', expect: { equals: '{uploaded}' } }],
  },
  cleanup: {
    postgres: [
      { sql: `DELETE FROM chunks WHERE document_uuid IN (SELECT uuid FROM documents WHERE ${RUN_FILE_NAMES})` },
      { sql: `DELETE FROM documents WHERE ${RUN_FILE_NAMES}` },
    ],
    neo4j: [{ scope: 'document', cypher: 'MATCH (d:Document {uuid: {documentUuid}}) DETACH DELETE d' }],
    qdrant: [{ scope: 'document', collection: COLLECTION, filter: DOCUMENT_POINTS }],
    redis: [
      { scope: 'document', pattern: 'doc:{documentUuid}' },
      { scope: 'document', pattern: 'idempotency:ingest:{documentUuid}' },
    ],
    s3: [{ bucket: '{bucket}', prefix: '{prefix}/load-test-{runId}-' }],
  },
  faults: { kind: 'document-line', line: 'APEX-FAULT: fail-write:{store}' },
  saga: { failedAs: 'result' },
  worker: {
    env: {
      POSTGRES_HOST: '{postgres.host}',
      POSTGRES_PORT: '{postgres.port}',
      POSTGRES_USER: '{postgres.user}',
      POSTGRES_PASSWORD: '{postgres.password}',
      POSTGRES_DB: '{postgres.database}',
      NEO4J_URI: 'bolt://{neo4j.host}:{neo4j.port}',
      NEO4J_USER: '{neo4j.user}',
      NEO4J_PASSWORD: '{neo4j.password}',
      QDRANT_HOST: '{qdrant.host}',
      QDRANT_PORT: '{qdrant.port}',
      QDRANT_API_KEY: '{qdrant.apiKey}',
      REDIS_HOST: '{redis.host}',
      REDIS_PORT: '{redis.port}',
      REDIS_DB: '0',
      REDIS_PASSWORD: '{redis.password}',
      S3_ENDPOINT_URL: '{s3.endpointUrl}',
      AWS_ACCESS_KEY_ID: '{s3.accessKeyId}',
      AWS_SECRET_ACCESS_KEY: '{s3.secretAccessKey}',
      AWS_DEFAULT_REGION: '{s3.region}',
      APEX_DOCUMENTS_BUCKET: '{bucket}',
      TEMPORAL_HOST: '{temporal.host}',
      TEMPORAL_PORT: '{temporal.port}',
      TEMPORAL_NAMESPACE: '{temporal.namespace}',
      TEMPORAL_TASK_QUEUE: '{temporal.taskQueue}',
      TEMPORAL_API_KEY: '{temporal.apiKey}',
    },
  },
};
