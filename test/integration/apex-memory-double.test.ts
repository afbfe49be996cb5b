import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { DOUBLE_DIR, doubleEnvironment, missingDoublePython, startDouble, type RunningDouble } from '../support/apex-memory-double.js';
import { storeClients, type StoreClients } from '../support/isolated-stack.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = (await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'])) ?? missingDoublePython();

/** Letters only, so that `Saga{tag}…` stays one capitalised word (an entity of its own document). */
const tag = Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join('');
const NAMESPACE = 'default';
const DATABASE = 'apex_memory_double_it';
const BUCKET = 'apex-memory-double-it';
const PREFIX = 'load-test';
const COLLECTION = 'apex_documents';
const STORES = ['postgres', 'neo4j', 'qdrant', 'redis'] as const;
const ROLLBACK_ORDER = ['redis', 'qdrant', 'postgres', 'neo4j'];

/** A document with a known number of paragraphs and a known set of capitalised words. */
interface StoredDocument {
  id: string;
  text: string;
  chunks: number;
  entities: string[];
}

const DOCUMENTS: StoredDocument[] = [
  {
    id: `load-test-${tag}-doc-0.txt`,
    text: 'Alice met Bob in Paris.\n\nThe meeting was about Temporal.\n',
    chunks: 2,
    entities: ['Alice', 'Bob', 'Paris', 'Temporal'],
  },
  {
    id: `load-test-${tag}-doc-1.txt`,
    text: 'Qdrant stores vectors.\n\nRedis caches them.\n\nNeo4j links Alice to them.',
    chunks: 3,
    entities: ['Alice', 'Qdrant', 'Redis'],
  },
  { id: `load-test-${tag}-doc-2.md`, text: 'one paragraph, no capitalised word', chunks: 1, entities: [] },
];
const faultDocument = (store: string) => ({
  id: `load-test-${tag}-fault-${store}.txt`,
  entity: `Saga${tag}${store}`,
  text: `Saga${tag}${store} must not survive.\n\nAPEX-FAULT: fail-write:${store}\n`,
});

interface IngestionResult {
  status: string;
  document_id: string;
  uuid?: string;
  source: string;
  databases_written?: string[];
  error?: string;
  workflow_status: string;
}

/** The sum of a series' samples whose labels include every given label. */
function sampleSum(exposition: string, series: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== series) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) sum += Number(match[3]);
  }
  return sum;
}

describe.skipIf(missing)('the apex-memory contract double on the real servers', () => {
  const { stack } = externalStack();
  const doubleStack = { ...stack, credentials: { ...stack.credentials, postgresDb: DATABASE } };
  const taskQueue = `apex-memory-double-it-${tag}`;
  let clients: StoreClients;
  let temporal: Client;
  let double: RunningDouble;
  const results = new Map<string, IngestionResult>();

  const upload = async (key: string, text: string) => {
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${key}`, Body: Buffer.from(text) }));
  };
  const ingest = async (documentId: string, queue = taskQueue): Promise<IngestionResult> =>
    temporal.workflow.execute('DocumentIngestionWorkflow', {
      args: [documentId, 'load-test', BUCKET, PREFIX],
      workflowId: `load-test-real-db-${documentId}`,
      taskQueue: queue,
    });

  /** What an ingested document leaves: rows, nodes, points and keys, each keyed on the document. */
  const expectInAllStores = async (document: StoredDocument, uuid: string, source: string) => {
    const embeddingType = await clients.pg.query(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attname = 'embedding'",
    );
    const dimensions = embeddingType.rows[0].type === 'vector(1536)' ? 'vector_dims(embedding)' : 'array_length(embedding, 1)';
    const row = await clients.pg.query(
      `SELECT uuid::text, doc_type, file_size, chunk_count, content, metadata->>'source' AS source, ${dimensions} AS dimensions
       FROM documents WHERE file_name LIKE $1`,
      [`%${document.id}`],
    );
    expect(row.rows).toEqual([
      {
        uuid,
        doc_type: document.id.split('.').pop(),
        file_size: String(Buffer.byteLength(document.text)),
        chunk_count: document.chunks,
        content: document.text,
        source,
        dimensions: 1536,
      },
    ]);
    const chunks = await clients.pg.query(`SELECT chunk_index, ${dimensions} AS dimensions FROM chunks WHERE document_uuid = $1 ORDER BY chunk_index`, [uuid]);
    expect(chunks.rows).toEqual(Array.from({ length: document.chunks }, (_, index) => ({ chunk_index: index, dimensions: 1536 })));
    const entities = await clients.pg.query(
      'SELECT e.name FROM entities e JOIN document_entities de ON de.entity_uuid = e.uuid WHERE de.document_uuid = $1 ORDER BY e.name',
      [uuid],
    );
    expect(entities.rows.map((entity) => entity.name)).toEqual(document.entities);

    const graph = await clients.neo4j.executeQuery(
      `MATCH (d:Document {uuid: $uuid})
       RETURN d.file_name AS fileName,
              COUNT { (d)-[:HAS_CHUNK]->(:Chunk) } AS chunks,
              [(e:Entity)-[:MENTIONED_IN]->(d) | e.name] AS entities`,
      { uuid },
    );
    expect(graph.records.map((record) => record.toObject())).toEqual([
      { fileName: document.id, chunks: document.chunks, entities: expect.arrayContaining(document.entities) },
    ]);
    expect(graph.records[0].get('entities')).toHaveLength(document.entities.length);

    const byDocument = { must: [{ key: 'document_uuid', match: { value: uuid } }] };
    expect((await clients.qdrant.count(COLLECTION, { filter: byDocument, exact: true })).count).toBe(document.chunks + 1);
    const chunkPoints = await clients.qdrant.scroll(COLLECTION, {
      filter: { must: [...byDocument.must, { key: 'is_chunk', match: { value: true } }] },
      limit: 100,
      with_payload: true,
      with_vector: true,
    });
    expect(chunkPoints.points.map((point) => point.payload?.chunk_index).sort()).toEqual(Array.from({ length: document.chunks }, (_, index) => index));
    expect(chunkPoints.points.every((point) => point.payload?.file_name === document.id && (point.vector as number[]).length === 1536)).toBe(true);

    expect(await clients.redis.hget(`doc:${uuid}`, 'file_name')).toBe(document.id);
    const ttl = await clients.redis.ttl(`doc:${uuid}`);
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(JSON.parse((await clients.redis.get(`idempotency:ingest:${uuid}`))!)).toMatchObject({ status: 'success', uuid });
  };

  beforeAll(async () => {
    const admin = createPostgresPool(resolveEndpoint(stack.config, serviceByName('postgres')), { ...stack.credentials, postgresDb: 'postgres' });
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).finally(() => admin.end());
    clients = await storeClients(doubleStack);
    temporal = new Client({ connection: clients.temporal, namespace: NAMESPACE });
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    // The team's uploads carried no Content-Type: the double must take the format from the document id.
    for (const document of DOCUMENTS) await upload(document.id, document.text);
    for (const store of STORES) await upload(faultDocument(store).id, faultDocument(store).text);
    double = await startDouble(doubleStack, clients.temporal, { namespace: NAMESPACE, taskQueue, postgresDb: DATABASE, bucket: BUCKET });
  }, 180_000);

  afterAll(async () => {
    await double?.stop();
    if (!clients) return;
    // Everything this run wrote is named load-test-{tag}…: the documents, the saga's, the mock's and the load script's.
    const runPrefix = `load-test-${tag}`;
    const stored = await clients.pg.query('SELECT uuid::text FROM documents WHERE file_name LIKE $1', [`${runPrefix}%`]).catch(() => ({ rows: [] }));
    const uuids = [...new Set([...stored.rows.map((row: { uuid: string }) => row.uuid), ...[...results.values()].flatMap((result) => result.uuid ?? [])])];
    await clients.neo4j.executeQuery(
      'MATCH (d:Document) WHERE d.file_name STARTS WITH $runPrefix OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk) DETACH DELETE c, d',
      { runPrefix },
    );
    await clients.neo4j.executeQuery('MATCH (e:Entity) WHERE e.entity_type IS NOT NULL AND NOT (e)-[:MENTIONED_IN]->() DETACH DELETE e');
    if (uuids.length > 0) {
      await clients.qdrant.delete(COLLECTION, { wait: true, filter: { must: [{ key: 'document_uuid', match: { any: uuids } }] } });
      await clients.redis.del(...uuids.flatMap((uuid) => [`doc:${uuid}`, `idempotency:ingest:${uuid}`]));
    }
    for (const entry of await clients.redis.lrange('dlq:ingestion', 0, -1)) if (entry.includes(runPrefix)) await clients.redis.lrem('dlq:ingestion', 0, entry);
    const objects = await clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${PREFIX}/${runPrefix}` }));
    for (const object of objects.Contents ?? []) await clients.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: object.Key }));
    await clients.close();
  });

  it('stored the uploads without a Content-Type the double could rely on', async () => {
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${DOCUMENTS[0].id}` }));
    expect([undefined, 'binary/octet-stream', 'application/octet-stream']).toContain(head.ContentType);
  });

  it('ingests each document and returns the documented success result', { timeout: 120_000 }, async () => {
    const outcomes = await Promise.all(DOCUMENTS.map((document) => ingest(document.id)));
    DOCUMENTS.forEach((document, index) => results.set(document.id, outcomes[index]));
    for (const [index, document] of DOCUMENTS.entries()) {
      expect(outcomes[index], double.logTail()).toEqual({
        status: 'success',
        document_id: document.id,
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        source: 'load-test',
        databases_written: ['postgres', 'neo4j', 'qdrant', 'redis'],
        workflow_status: 'completed',
      });
    }
    const history = await temporal.workflow.getHandle(`load-test-real-db-${DOCUMENTS[0].id}`).fetchHistory();
    const activities = (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(activities).toEqual([
      'download_from_s3_activity',
      'parse_document_activity',
      'extract_entities_activity',
      'generate_embeddings_activity',
      'write_to_databases_activity',
    ]);
  });

  it('left rows, nodes, points and keys for every document in all four stores', async () => {
    for (const document of DOCUMENTS) await expectInAllStores(document, results.get(document.id)!.uuid!, 'load-test');
  });

  it(
    'runs the saga inside the write activity: a failed store write returns a failed result, rolls back every store and dead-letters the document',
    { timeout: 120_000 },
    async () => {
      const outcomes = await Promise.all(STORES.map((store) => ingest(faultDocument(store).id)));
      const deadLetters = (await clients.redis.lrange('dlq:ingestion', 0, 199)).map((entry) => JSON.parse(entry));
      for (const [index, store] of STORES.entries()) {
        const document = faultDocument(store);
        results.set(document.id, outcomes[index]);
        expect(outcomes[index], double.logTail()).toEqual({
          status: 'failed',
          document_id: document.id,
          source: 'load-test',
          error: expect.stringContaining(`${store} write failed`),
          workflow_status: 'failed',
        });
        // The failure is returned: the Temporal execution itself completed.
        const description: WorkflowExecutionDescription = await temporal.workflow.getHandle(`load-test-real-db-${document.id}`).describe();
        expect(description.status.name).toBe('COMPLETED');

        const entry = deadLetters.find((letter) => letter.document_id === document.id);
        const written: readonly string[] = STORES.slice(0, index);
        expect(entry).toMatchObject({
          failed_store: store,
          source: 'load-test',
          rolled_back: ROLLBACK_ORDER.filter((name) => written.includes(name)),
          rollback_errors: {},
        });
        const uuid: string = entry.uuid;

        const rows = await clients.pg.query(
          `SELECT (SELECT count(*) FROM documents WHERE uuid = $1 OR file_name = $2)::int AS documents,
                (SELECT count(*) FROM chunks WHERE document_uuid = $1)::int AS chunks,
                (SELECT count(*) FROM document_entities WHERE document_uuid = $1)::int AS mentions,
                (SELECT count(*) FROM entities WHERE name = $3)::int AS entities`,
          [uuid, document.id, document.entity],
        );
        expect(rows.rows[0]).toEqual({ documents: 0, chunks: 0, mentions: 0, entities: 0 });
        const graph = await clients.neo4j.executeQuery(
          `RETURN COUNT { (d:Document) WHERE d.uuid = $uuid OR d.file_name = $name } AS documents,
                COUNT { (c:Chunk {document_uuid: $uuid}) } AS chunks,
                COUNT { (e:Entity {name: $entity}) } AS entities`,
          { uuid, name: document.id, entity: document.entity },
        );
        expect(graph.records[0].toObject()).toEqual({ documents: 0, chunks: 0, entities: 0 });
        const points = await clients.qdrant.count(COLLECTION, {
          filter: {
            should: [
              { key: 'document_uuid', match: { value: uuid } },
              { key: 'file_name', match: { value: document.id } },
            ],
          },
          exact: true,
        });
        expect(points.count).toBe(0);
        expect(await clients.redis.exists(`doc:${uuid}`, `idempotency:ingest:${uuid}`)).toBe(0);
      }
    },
  );

  it('returns the failed result, naming the activity, for a document that is not in the bucket or not a text format', { timeout: 120_000 }, async () => {
    const absent = `load-test-${tag}-never-uploaded.txt`;
    const scanned = `load-test-${tag}-scan.pdf`;
    await upload(scanned, '%PDF-1.4 not parsed by the double');
    const [missingResult, pdfResult] = await Promise.all([ingest(absent), ingest(scanned)]);
    expect(missingResult).toEqual({
      status: 'failed',
      document_id: absent,
      source: 'load-test',
      error: expect.stringMatching(/^download_from_s3_activity: s3:\/\/apex-memory-double-it\/load-test\/.* does not exist/),
      workflow_status: 'failed',
    });
    expect(pdfResult).toMatchObject({ status: 'failed', error: expect.stringMatching(/^parse_document_activity: the double parses text formats only/) });
    // Both errors are final: one attempt each, no retries.
    const history = await temporal.workflow.getHandle(`load-test-real-db-${absent}`).fetchHistory();
    expect((history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes)).toHaveLength(1);
    expect(
      history.events?.find((event) => event.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type,
    ).toBe('DocumentNotFoundError');
  });

  it('moved its apex_temporal_* metrics with the work it did, each with the documented type and a HELP naming the double', async () => {
    const text = await (await fetch(double.metricsUrl)).text();
    // The 26 names of the contract page, with their documented types.
    const types: Record<string, string> = {
      workflow_started_total: 'counter',
      workflow_completed_total: 'counter',
      workflow_retries_total: 'counter',
      activity_started_total: 'counter',
      activity_completed_total: 'counter',
      activity_retry_count: 'counter',
      activity_failure_reasons: 'counter',
      entities_by_type: 'counter',
      databases_written: 'counter',
      saga_rollback_triggered: 'counter',
      worker_poll_success: 'counter',
      documents_by_source: 'counter',
      relationships_total: 'counter',
      workflow_duration_seconds: 'histogram',
      activity_duration_seconds: 'histogram',
      chunks_per_document: 'histogram',
      entities_per_document: 'histogram',
      embeddings_per_document: 'histogram',
      workflow_task_latency_seconds: 'histogram',
      document_size_bytes: 'histogram',
      s3_download_duration_seconds: 'histogram',
      workflow_in_progress: 'gauge',
      worker_task_slots_available: 'gauge',
      worker_task_slots_used: 'gauge',
      task_queue_depth: 'gauge',
      ingestion_throughput_per_minute: 'gauge',
    };
    expect(Object.keys(types)).toHaveLength(26);
    for (const [name, type] of Object.entries(types)) {
      // prometheus_client exposes every counter with a _total suffix, as it did for the team's worker.
      const family = `apex_temporal_${name}${type === 'counter' && !name.endsWith('_total') ? '_total' : ''}`;
      expect(text, family).toMatch(new RegExp(`^# HELP ${family} .*\\(apex-memory contract double\\)$`, 'm'));
      expect(text, family).toContain(`# TYPE ${family} ${type}\n`);
    }
    // So far: the documents, one saga document per store, and the two that failed before the stores (absent, pdf).
    const workflows = { workflow_type: 'DocumentIngestionWorkflow' };
    const started = DOCUMENTS.length + STORES.length + 2;
    expect(sampleSum(text, 'apex_temporal_workflow_started_total', workflows)).toBe(started);
    expect(sampleSum(text, 'apex_temporal_workflow_completed_total', { ...workflows, status: 'success' })).toBe(DOCUMENTS.length);
    expect(sampleSum(text, 'apex_temporal_workflow_completed_total', { ...workflows, status: 'failed' })).toBe(STORES.length + 2);
    expect(sampleSum(text, 'apex_temporal_workflow_in_progress', workflows)).toBe(0);
    expect(sampleSum(text, 'apex_temporal_documents_by_source_total', { source: 'load-test' })).toBe(started);
    expect(
      sampleSum(text, 'apex_temporal_activity_failure_reasons_total', { activity_name: 'download_from_s3_activity', error_type: 'DocumentNotFoundError' }),
    ).toBe(1);
    expect(
      sampleSum(text, 'apex_temporal_activity_failure_reasons_total', { activity_name: 'parse_document_activity', error_type: 'UnsupportedFormatError' }),
    ).toBe(1);
    for (const store of STORES) {
      expect(sampleSum(text, 'apex_temporal_saga_rollback_triggered_total', { reason: `${store}_write_failed` }), store).toBe(1);
      expect(sampleSum(text, 'apex_temporal_databases_written_total', { database: store, status: 'failed' }), store).toBe(1);
    }
    expect(sampleSum(text, 'apex_temporal_databases_written_total', { database: 'postgres', status: 'success' })).toBe(DOCUMENTS.length + 3);
    expect(sampleSum(text, 'apex_temporal_databases_written_total', { database: 'postgres', status: 'rolled_back' })).toBe(3);
    expect(sampleSum(text, 'apex_temporal_activity_started_total', { activity_name: 'write_to_databases_activity' })).toBe(DOCUMENTS.length + STORES.length);
    expect(
      sampleSum(text, 'apex_temporal_activity_failure_reasons_total', { activity_name: 'write_to_databases_activity', error_type: 'DatabaseWriteError' }),
    ).toBe(STORES.length);
    expect(sampleSum(text, 'apex_temporal_chunks_per_document_sum')).toBe(DOCUMENTS.reduce((sum, document) => sum + document.chunks, 0) + 2 * STORES.length);
    expect(sampleSum(text, 'apex_temporal_relationships_total', { relationship_type: 'MENTIONED_IN' })).toBe(
      DOCUMENTS.reduce((sum, document) => sum + document.entities.length, 0),
    );
    expect(sampleSum(text, 'apex_temporal_document_size_bytes_count')).toBe(started - 1);
    // Completions of the last 60 s: at least the two that just ran.
    expect(sampleSum(text, 'apex_temporal_ingestion_throughput_per_minute')).toBeGreaterThanOrEqual(2);
    expect(sampleSum(text, 'apex_temporal_ingestion_throughput_per_minute')).toBeLessThanOrEqual(started);
  });

  it('in mock mode runs the workflow on mock activities under the real names that touch no store and no S3', { timeout: 120_000 }, async () => {
    const mockQueue = `${taskQueue}-mock`;
    const mock = await startDouble(doubleStack, clients.temporal, {
      namespace: NAMESPACE,
      taskQueue: mockQueue,
      postgresDb: DATABASE,
      bucket: BUCKET,
      mockActivities: true,
    });
    try {
      const documentId = `load-test-${tag}-mock-never-uploaded.txt`;
      const result = await ingest(documentId, mockQueue);
      expect(result, mock.logTail()).toMatchObject({ status: 'success', document_id: documentId, source: 'load-test', workflow_status: 'completed' });
      const rows = await clients.pg.query('SELECT count(*)::int AS n FROM documents WHERE uuid = $1 OR file_name = $2', [result.uuid, documentId]);
      expect(rows.rows[0].n).toBe(0);
      expect(
        (await clients.qdrant.count(COLLECTION, { filter: { must: [{ key: 'document_uuid', match: { value: result.uuid! } }] }, exact: true })).count,
      ).toBe(0);
      expect(await clients.redis.exists(`doc:${result.uuid}`)).toBe(0);
    } finally {
      await mock.stop();
    }
  });

  it(
    'staging era: pulls documents over HTTP and from a local upload into the staging folder, ingests them like the S3 era, and removes every staged file, also after a failed parse or write',
    { timeout: 180_000 },
    async () => {
      const served: StoredDocument[] = [
        {
          id: `load-test-${tag}-staged-http-0.txt`,
          text: 'Grace wrote Cobol.\n\nThe compiler ran on Univac.\n',
          chunks: 2,
          entities: ['Cobol', 'Grace', 'Univac'],
        },
        { id: `load-test-${tag}-staged-http-1.md`, text: 'Staging pulls over HTTP.', chunks: 1, entities: ['Staging'] },
      ];
      const uploaded: StoredDocument = {
        id: `load-test-${tag}-staged-upload.txt`,
        text: 'Ada read it from disk.\n\nLovelace kept a copy.\n',
        chunks: 2,
        entities: ['Ada', 'Lovelace'],
      };
      const failing = { id: `load-test-${tag}-staged-fault.txt`, text: 'Staged but never stored.\n\nAPEX-FAULT: fail-write:postgres\n' };
      // Not a text format: its parse fails before it reads the staged file, which only the cleanup then removes.
      const unparsed = { id: `load-test-${tag}-staged-scan.pdf`, text: '%PDF-1.4 not parsed by the double' };
      const stagingDir = mkdtempSync(join(tmpdir(), 'apex-double-staging-'));
      const uploadDir = mkdtempSync(join(tmpdir(), 'apex-double-upload-'));
      const uploadPath = join(uploadDir, uploaded.id);
      writeFileSync(uploadPath, uploaded.text);
      const requested: string[] = [];
      const server = createServer((request, response) => {
        requested.push(request.url ?? '');
        const document = [...served, failing, unparsed].find((candidate) => request.url === `/${candidate.id}`);
        const contentType = { md: 'text/markdown', pdf: 'application/pdf' }[document?.id.split('.').pop() ?? ''] ?? 'text/plain; charset=utf-8';
        if (document) response.writeHead(200, { 'content-type': contentType }).end(document.text);
        else response.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = (id: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${id}`;
      const stagingQueue = `${taskQueue}-staging`;
      const staging = await startDouble(doubleStack, clients.temporal, {
        namespace: NAMESPACE,
        taskQueue: stagingQueue,
        postgresDb: DATABASE,
        bucket: BUCKET,
        era: 'staging',
        stagingDir,
      });
      try {
        const runs: Array<[string, string, string]> = [
          ...served.map((document): [string, string, string] => [document.id, 'http', url(document.id)]),
          [uploaded.id, 'local_upload', uploadPath],
          [failing.id, 'http', url(failing.id)],
          [unparsed.id, 'http', url(unparsed.id)],
        ];
        const outcomes: IngestionResult[] = await Promise.all(
          runs.map((args) =>
            temporal.workflow.execute('DocumentIngestionWorkflow', { args, workflowId: `load-test-staging-${args[0]}`, taskQueue: stagingQueue }),
          ),
        );
        runs.forEach(([id], index) => results.set(id, outcomes[index]));
        for (const [index, document] of [...served, uploaded].entries()) {
          const source = runs[index][1];
          expect(outcomes[index], staging.logTail()).toEqual({
            status: 'success',
            document_id: document.id,
            uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
            source,
            databases_written: ['postgres', 'neo4j', 'qdrant', 'redis'],
            workflow_status: 'completed',
          });
          await expectInAllStores(document, outcomes[index].uuid!, source);
        }
        expect(outcomes[runs.length - 2]).toEqual({
          status: 'failed',
          document_id: failing.id,
          source: 'http',
          error: expect.stringContaining('postgres write failed'),
          workflow_status: 'failed',
        });
        expect(outcomes[runs.length - 1]).toMatchObject({
          status: 'failed',
          source: 'http',
          error: expect.stringMatching(/^parse_document_activity: the double parses text formats only/),
        });
        // Each URL was fetched once; the upload was copied, not moved.
        expect(requested.sort()).toEqual([...served, failing, unparsed].map((document) => `/${document.id}`).sort());
        expect(readFileSync(uploadPath, 'utf8')).toBe(uploaded.text);

        for (const [id] of runs) {
          const history = await temporal.workflow.getHandle(`load-test-staging-${id}`).fetchHistory();
          const events = history.events ?? [];
          const pipeline =
            id === unparsed.id
              ? ['parse_document_activity']
              : ['parse_document_activity', 'extract_entities_activity', 'generate_embeddings_activity', 'write_to_databases_activity'];
          expect(
            events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
            id,
          ).toEqual(['pull_and_stage_document_activity', ...pipeline, 'cleanup_staging_activity']);
          // The pull staged the document in the staging folder, under its own name.
          const payload = events.find((event) => event.activityTaskCompletedEventAttributes)!.activityTaskCompletedEventAttributes!.result!.payloads![0];
          const stagedPath: string = JSON.parse(Buffer.from(payload.data!).toString('utf8'));
          expect(stagedPath.startsWith(`${stagingDir}/`) && stagedPath.endsWith(`/${id}`), stagedPath).toBe(true);
        }
        const leftOver = readdirSync(stagingDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
        expect(leftOver.map((entry) => join(entry.parentPath, entry.name))).toEqual([]);
        // Every pull is a download whose size counts; none of them is an S3 download.
        const exposition = await (await fetch(staging.metricsUrl)).text();
        expect(sampleSum(exposition, 'apex_temporal_document_size_bytes_count')).toBe(runs.length);
        expect(sampleSum(exposition, 'apex_temporal_s3_download_duration_seconds_count')).toBe(0);
      } finally {
        await staging.stop();
        server.close();
        rmSync(stagingDir, { recursive: true, force: true });
        rmSync(uploadDir, { recursive: true, force: true });
      }
    },
  );

  it(
    "load script: runs the team's execute_workflow loop and prints count, succeeded, failed, seconds, throughput, p50, p95",
    { timeout: 180_000 },
    async () => {
      const run = await execa(
        process.env.APEX_MEMORY_DOUBLE_PYTHON!,
        ['load_script.py', '--count', '4', '--concurrency', '2', '--tag', `${tag}load`, '--bucket', BUCKET],
        {
          cwd: DOUBLE_DIR,
          env: { ...doubleEnvironment(doubleStack, { namespace: NAMESPACE, taskQueue, postgresDb: DATABASE, bucket: BUCKET }, 0) },
          extendEnv: false,
          reject: false,
        },
      );
      expect(run.exitCode, run.stderr).toBe(0);
      const figures = JSON.parse(run.stdout);
      expect(figures).toEqual({
        count: 4,
        succeeded: 4,
        failed: 0,
        seconds: expect.any(Number),
        throughput: expect.any(Number),
        p50: expect.any(Number),
        p95: expect.any(Number),
      });
      expect(figures.p95).toBeGreaterThanOrEqual(figures.p50);
      expect(figures.throughput).toBeCloseTo(4 / figures.seconds, 2);
      const rows = await clients.pg.query('SELECT count(*)::int AS n FROM documents WHERE file_name LIKE $1', [`load-test-${tag}load-doc-%`]);
      expect(rows.rows[0].n).toBe(4);
    },
  );
});
