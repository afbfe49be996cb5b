import { beforeAll, describe, expect, it } from 'vitest';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { seedStack } from '../../src/services/seeding.js';
import { phase2c } from '../../src/phases/phase-2c.js';
import { phase2d } from '../../src/phases/phase-2d.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import type { PhaseRunResult } from '../../src/results/run-result.js';
import { DOUBLE_DIR, doubleWorkerSection as workerSection, missingDoublePython, SMALL_PHASES as SIZES } from '../support/apex-memory-double.js';
import { coreStores } from '../support/isolated-stack.js';
import { runPhaseForTest, statuses } from '../support/phase-run.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = (await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'])) ?? missingDoublePython();
const ports = createPortAllocator();

const checkOf = (result: PhaseRunResult, test: string, name: string) =>
  result.tests.find((candidate) => candidate.name === test)?.checks.find((check) => check.name === name);

describe.skipIf(missing)("phases 2C and 2D drive the team's worker (the Python contract double) through worker contracts", () => {
  beforeAll(async () => {
    for (const result of await seedStack(externalStack().stack, coreStores())) expect(result.ok, result.error).toBe(true);
  });

  it('2D with the apex-memory contract: all five tests, every document verified in PostgreSQL, Neo4j, Qdrant and Redis', { timeout: 900_000 }, async () => {
    const queue = `apex-memory-2d-${Date.now().toString(36)}`;
    const loaded = externalStack(`${SIZES}contract:\n  use: apex-memory\n${await workerSection(queue)}`);
    const { result, read } = await runPhaseForTest(loaded, { phase: phase2d, overrides: { workflows: 4 } });
    expect(statuses(result)).toEqual({
      test_concurrent_ingestion_real_databases: 'passed',
      test_saga_under_load: 'passed',
      test_database_write_concurrency: 'passed',
      test_end_to_end_latency: 'passed',
      test_sustained_throughput_real_db: 'passed',
    });
    expect(result.environment).toMatchObject({ contract: 'apex-memory (with overrides)', worker: 'started', namespace: 'default', taskQueue: queue });
    expect(result.summary.workflowsExecuted).toBe(20);
    for (const name of [
      'postgres: documents row (per succeeded document)',
      'postgres: chunks rows (per succeeded document)',
      'neo4j: Document node (per succeeded document)',
      'qdrant: points of the document (per succeeded document)',
      'redis: document cache key (per succeeded document)',
    ]) {
      expect(checkOf(result, 'test_concurrent_ingestion_real_databases', name), name).toMatchObject({
        expected: expect.stringMatching(/^4\/4 /),
        actual: '4/4',
        passed: true,
      });
    }
    expect(checkOf(result, 'test_concurrent_ingestion_real_databases', 'postgres: documents rows of the run')).toMatchObject({ expected: '4', actual: '4' });
    // The saga: every write to Neo4j failed; the worker rolled back the stores written before it and returned "failed".
    expect(checkOf(result, 'test_saga_under_load', 'workflows failed and compensated')).toMatchObject({ actual: '4/4', passed: true });
    for (const name of ['postgres: documents row (rolled back) (per failed document)', 'redis: document cache key (rolled back) (per failed document)']) {
      expect(checkOf(result, 'test_saga_under_load', name), name).toMatchObject({ expected: '4/4 absent', actual: '4/4', passed: true });
    }
    expect(read('INDEX.md')).toContain('`apex-memory (with overrides)`; worker started by apex');
    // Passed runs are cleaned up through the contract's cleanup: nothing of this run is left in the worker's database.
    const pool = createPostgresPool(resolveEndpoint(loaded.config, serviceByName('postgres')), { ...loaded.stack.credentials, postgresDb: 'apex_memory' }, 1);
    try {
      const left = await pool.query('SELECT count(*)::int AS n FROM documents WHERE file_name LIKE $1', [`load-test-${result.runId}%`]);
      expect(left.rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it(
    '2C with the apex-memory contract: the worker runs its mock activities; verified by results and histories; fault injection is skipped, never passed',
    { timeout: 600_000 },
    async () => {
      const queue = `apex-memory-2c-${Date.now().toString(36)}`;
      const loaded = externalStack(`${SIZES}contract:\n  use: apex-memory\n${await workerSection(queue)}`);
      const { result, read } = await runPhaseForTest(loaded, { phase: phase2c, overrides: { workflows: 6 } });
      expect(statuses(result)).toMatchObject({
        test_100_concurrent_workflows: 'passed',
        test_workflow_scheduling_latency: 'passed',
        test_worker_task_queue_handling: 'passed',
        test_workflow_throughput: 'passed',
      });
      expect(result.tests.find((test) => test.name === 'test_activity_retry_under_load')).toMatchObject({ status: 'skipped' });
      expect(result.environment.verifies).toBe('workflow results and histories only: the stores and S3 are mocked');
      expect(read('junit.xml')).toContain('skipped="1"');
    },
  );

  it(
    'a contract written by hand for a staging-era worker that takes (document_id, source, source_location) and pulls over HTTP',
    { timeout: 600_000 },
    async () => {
      const queue = `apex-memory-http-${Date.now().toString(36)}`;
      const document =
        "{ sql: 'SELECT count(*) FROM documents WHERE file_name = {documentName}', scope: document, when: succeeded, expect: { present: true } }";
      const loaded = externalStack(`${SIZES}contract:
  label: staging-http
  temporal: { namespace: default, taskQueue: ${queue}, workflowType: DocumentIngestionWorkflow, workflowId: "staging-{runId}-{n}" }
  document: { name: "load-test-{runId}-doc-{n}.{extension}", delivery: { kind: http } }
  arguments: ["{documentName}", http, "{documentUrl}"]
  result: { success: { field: status, equals: success }, failureReason: error, documentUuid: uuid, stores: databases_written }
  postgresDatabase: apex_memory
  verify:
    postgres: [${document.replace('{ sql', '{ name: documents row, sql')}]
    neo4j: [{ name: Document node, scope: document, when: succeeded, cypher: "MATCH (d:Document {uuid: {documentUuid}}) RETURN count(d)", expect: { present: true } }]
    qdrant: [{ name: points, scope: document, when: succeeded, collection: apex_documents, filter: { must: [{ key: document_uuid, match: { value: "{documentUuid}" } }] }, expect: { atLeast: 1 } }]
    redis: [{ name: cache key, scope: document, when: succeeded, pattern: "doc:{documentUuid}", expect: { present: true } }]
  cleanup:
    postgres: [{ sql: "DELETE FROM documents WHERE file_name LIKE 'load-test-' || {runId}::text || '-doc-%'" }]
    neo4j: [{ scope: document, cypher: "MATCH (d:Document {uuid: {documentUuid}}) DETACH DELETE d" }]
    redis: [{ scope: document, pattern: "doc:{documentUuid}" }]
  worker:
    command: [${JSON.stringify(process.env.APEX_MEMORY_DOUBLE_PYTHON)}, -m, apex_memory_double.worker]
    cwd: ${JSON.stringify(DOUBLE_DIR)}
    env:
      APEX_DOUBLE_ERA: staging
      METRICS_PORT: "${await ports.freePort()}"
      POSTGRES_HOST: "{postgres.host}"
      POSTGRES_PORT: "{postgres.port}"
      POSTGRES_USER: "{postgres.user}"
      POSTGRES_PASSWORD: "{postgres.password}"
      POSTGRES_DB: "{postgres.database}"
      NEO4J_URI: "bolt://{neo4j.host}:{neo4j.port}"
      NEO4J_USER: "{neo4j.user}"
      NEO4J_PASSWORD: "{neo4j.password}"
      QDRANT_HOST: "{qdrant.host}"
      QDRANT_PORT: "{qdrant.port}"
      REDIS_HOST: "{redis.host}"
      REDIS_PORT: "{redis.port}"
      REDIS_PASSWORD: "{redis.password}"
      TEMPORAL_HOST: "{temporal.host}"
      TEMPORAL_PORT: "{temporal.port}"
      TEMPORAL_NAMESPACE: "{temporal.namespace}"
      TEMPORAL_TASK_QUEUE: "{temporal.taskQueue}"
`);
      expect(loaded.config.contract.label).toBe('staging-http');
      const { result } = await runPhaseForTest(loaded, {
        phase: phase2d,
        overrides: { workflows: 3 },
        tests: ['test_concurrent_ingestion_real_databases', 'test_saga_under_load'],
      });
      expect(statuses(result)).toEqual({
        test_concurrent_ingestion_real_databases: 'passed',
        // The contract says nothing of faults or sagas: the saga test cannot run, and says why.
        test_saga_under_load: 'skipped: the worker contract does not say how a compensated failure shows (add `saga` to the contract)',
      });
      for (const name of [
        'postgres: documents row (per succeeded document)',
        'neo4j: Document node (per succeeded document)',
        'qdrant: points (per succeeded document)',
        'redis: cache key (per succeeded document)',
      ]) {
        expect(checkOf(result, 'test_concurrent_ingestion_real_databases', name), name).toMatchObject({
          expected: expect.stringMatching(/^3\/3 /),
          actual: '3/3',
          passed: true,
        });
      }
    },
  );

  it("a worker that cannot decode the contract's arguments fails with the diagnosis and the worker's own lines", { timeout: 300_000 }, async () => {
    const queue = `apex-memory-args-${Date.now().toString(36)}`;
    const loaded = externalStack(
      `${SIZES}contract:\n  use: apex-memory\n  arguments: { documentId: "{documentName}", bucket: "{bucket}" }\n${await workerSection(queue)}`,
    );
    const { result, read } = await runPhaseForTest(loaded, {
      phase: phase2d,
      overrides: { workflows: 2 },
      tests: ['test_concurrent_ingestion_real_databases'],
    });
    expect(result.decision).toBe('blocked');
    expect(result.tests[0].status).toBe('failed');
    expect(result.diagnoses.map((diagnosis) => diagnosis.signature)).toContain('sdk-argument-shape');
    expect(read('ISSUES.md')).toContain('the last lines of the worker under test');
  });
});
