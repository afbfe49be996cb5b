import type { WorkerContractInput } from '../schema.js';

type MetricInput = NonNullable<WorkerContractInput['metrics']>[number];
type MoveInput = NonNullable<MetricInput['moves']>[number];

/** The activities of one document, in the order the workflow runs them. */
const ACTIVITIES = [
  'download_from_s3_activity',
  'parse_document_activity',
  'extract_entities_activity',
  'generate_embeddings_activity',
  'write_to_databases_activity',
];
const WRITTEN_STORES = ['postgres', 'neo4j', 'qdrant', 'redis'];

const metric = (name: string, type: MetricInput['type'], labels: string[] = [], moves: MoveInput[] = []): MetricInput => ({
  name: `apex_temporal_${name}`,
  type,
  labels,
  moves,
});

/**
 * The team's 26 application metrics (their 2E test's list, labels as documented). A workload moves them: each
 * workflow is started, parsed and closed once (exact), runs every activity at least once, and each succeeded
 * document is written to every store; a failed one is rolled back.
 */
const APEX_MEMORY_METRICS: MetricInput[] = [
  metric('workflow_started_total', 'counter', [], [{ per: 'workflows', exact: true }]),
  metric(
    'workflow_completed_total',
    'counter',
    ['workflow_type', 'status'],
    [
      { where: { status: 'success' }, per: 'succeeded', exact: true },
      { where: { status: 'failed' }, per: 'failed', exact: true },
    ],
  ),
  metric('workflow_retries_total', 'counter'),
  metric('activity_started_total', 'counter', ['activity_name'], [{ per: 'workflows', times: ACTIVITIES.length }]),
  metric(
    'activity_completed_total',
    'counter',
    ['activity_name', 'status'],
    [
      ...ACTIVITIES.slice(0, -1).map((name) => ({ where: { activity_name: name, status: 'success' }, per: 'workflows' as const })),
      { where: { activity_name: ACTIVITIES[ACTIVITIES.length - 1], status: 'success' }, per: 'succeeded', exact: true },
    ],
  ),
  metric('activity_retry_count', 'counter'),
  metric('activity_failure_reasons', 'counter', ['activity_name', 'error_type'], [{ per: 'failed' }]),
  metric('entities_by_type', 'counter'),
  metric(
    'databases_written',
    'counter',
    ['database', 'status'],
    [
      ...WRITTEN_STORES.map((database) => ({ where: { database, status: 'success' }, per: 'succeeded' as const })),
      { where: { status: 'failed' }, per: 'failed' },
    ],
  ),
  metric('saga_rollback_triggered', 'counter', ['reason'], [{ per: 'failed' }]),
  metric('worker_poll_success', 'counter'),
  metric('documents_by_source', 'counter', [], [{ per: 'workflows', exact: true }]),
  metric('relationships_total', 'counter'),
  metric('workflow_duration_seconds', 'histogram', [], [{ per: 'workflows', exact: true }]),
  metric('activity_duration_seconds', 'histogram', [], [{ per: 'workflows', times: ACTIVITIES.length }]),
  metric('chunks_per_document', 'histogram', [], [{ per: 'workflows' }]),
  metric('entities_per_document', 'histogram', [], [{ per: 'workflows' }]),
  metric('embeddings_per_document', 'histogram', [], [{ per: 'workflows' }]),
  metric('workflow_task_latency_seconds', 'histogram', [], [{ per: 'workflows', exact: true }]),
  metric('document_size_bytes', 'histogram', [], [{ per: 'workflows' }]),
  metric('s3_download_duration_seconds', 'histogram', [], [{ per: 'workflows' }]),
  metric('workflow_in_progress', 'gauge'),
  metric('worker_task_slots_available', 'gauge'),
  metric('worker_task_slots_used', 'gauge'),
  metric('task_queue_depth', 'gauge'),
  metric('ingestion_throughput_per_minute', 'gauge'),
];

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
  metrics: APEX_MEMORY_METRICS,
  // Their rules file, group `temporal_workflows`: 2F drives the workflow-failure and zero-throughput alerts.
  alerts: {
    ruleFiles: ['monitoring/alerts/rules.yml'],
    drive: [
      { alert: 'TemporalWorkflowFailureRateHigh', provoke: 'failures' },
      { alert: 'TemporalIngestionThroughputZero', provoke: 'idle' },
    ],
  },
  worker: {
    metricsUrl: 'http://127.0.0.1:9091/metrics',
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
