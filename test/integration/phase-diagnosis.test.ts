import { S3Client } from '@aws-sdk/client-s3';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/ingestion/activities/index.js';
import { createS3DocumentSource } from '../../src/ingestion/activities/document-source.js';
import { connectWorkerNative } from '../../src/ingestion/temporal-connection.js';
import { bundleIngestionWorkflows, createIngestionWorker, type WorkflowBundle } from '../../src/ingestion/worker.js';
import { closeStoreClients, openStoreClients, realActivityDeps } from '../../src/ingestion/worker-dependencies.js';
import { phase2c } from '../../src/phases/phase-2c.js';
import { phase2d } from '../../src/phases/phase-2d.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { httpBaseUrl } from '../../src/services/http-probe.js';
import { seedStack } from '../../src/services/seeding.js';
import { coreStores } from '../support/isolated-stack.js';
import { runPhaseForTest } from '../support/phase-run.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);

/** A stack whose task queue only this test's worker polls. */
const ownQueue = (name: string) => externalStack(`ingestion:\n  taskQueue: apex-diag-${name}-${Date.now()}\n`);

describe.skipIf(missing)('broken setups produce an ISSUES.md that names the cause and the fix', () => {
  let bundle: WorkflowBundle;
  beforeAll(async () => {
    bundle = await bundleIngestionWorkflows();
    for (const result of await seedStack(externalStack().stack, coreStores())) expect(result.ok, result.error).toBe(true);
  });

  it('the in-process worker with a misnamed activity refuses to start; every test fails with the mismatch', { timeout: 120_000 }, async () => {
    const { result, read } = await runPhaseForTest(externalStack(), {
      phase: phase2c,
      overrides: { workflows: 2 },
      mapActivities: ({ write_qdrant, ...rest }) => ({ ...rest, writeQdrant: write_qdrant }),
    });
    expect(result.decision).toBe('blocked');
    expect(result.summary.failed).toBe(5);
    expect(result.diagnoses.map((diagnosis) => diagnosis.signature)).toEqual(['activity-name-mismatch']);
    const issues = read('ISSUES.md');
    expect(issues).toContain('## 1. Activity name mismatch');
    expect(issues).toContain('does not register 1 activity the workflow calls: write_qdrant');
    expect(issues).toContain('registered: download_from_s3');
    expect(issues).toContain('@activity.defn(name=');
  });

  it.each([false, true])(
    'a namespace that does not exist (external worker: %s): setup names NOT_FOUND, not missing search attributes or pollers',
    { timeout: 120_000 },
    async (externalWorker) => {
      const namespace = `apex-missing-${Date.now()}`;
      const { result, read } = await runPhaseForTest(externalStack(`ingestion:\n  namespace: ${namespace}\n`), {
        phase: phase2c,
        externalWorker,
        overrides: { workflows: 2 },
      });
      expect(result.decision).toBe('blocked');
      expect(result.setupEvidence).toEqual([
        expect.objectContaining({
          source: 'client',
          summary: `Temporal RPC ListSearchAttributes failed in namespace ${namespace}: NOT_FOUND: Namespace ${namespace} is not found.`,
        }),
      ]);
      expect(result.diagnoses.map((diagnosis) => diagnosis.signature)).toEqual(['temporal-namespace-missing']);
      expect(result.tests.every((test) => test.status === 'failed' && test.reason?.startsWith('not run: Temporal RPC ListSearchAttributes failed'))).toBe(true);
      const issues = read('ISSUES.md');
      expect(issues).toContain('Temporal namespace does not exist');
      expect(issues).toContain('`apex seed`');
      expect(issues).not.toContain('No worker polling');
    },
  );

  it("a team's worker with a misnamed activity (no start-up check): diagnosed from the workflow histories", { timeout: 300_000 }, async () => {
    const loaded = ownQueue('mismatch');
    const connection = await connectWorkerNative(loaded.stack);
    const clients = await openStoreClients(loaded.stack, loaded.env);
    const { download_from_s3, ...rest } = createActivities(realActivityDeps(loaded.stack, loaded.env, clients));
    // Like the seeds' Python worker: the activity is registered under its function's name, not the workflow's.
    const worker = await Worker.create({
      connection,
      namespace: loaded.config.ingestion.namespace,
      taskQueue: loaded.config.ingestion.taskQueue,
      workflowBundle: bundle,
      activities: { ...rest, downloadFromS3: download_from_s3 },
    });
    try {
      const { result, read } = await worker.runUntil(
        runPhaseForTest(loaded, { phase: phase2d, externalWorker: true, overrides: { workflows: 2 }, tests: ['test_concurrent_ingestion_real_databases'] }),
      );
      expect(result.tests[0].status).toBe('failed');
      expect(result.tests[0].metrics.workflowsFailed).toBe(2);
      expect(result.diagnoses[0].signature).toBe('activity-name-mismatch');
      const issues = read('ISSUES.md');
      expect(issues).toContain('Activity name mismatch');
      expect(issues).toMatch(/download_from_s3.*not registered|not registered.*download_from_s3/);
      expect(issues).toContain('From the workflow histories');
    } finally {
      await closeStoreClients(clients);
      await connection.close();
    }
  });

  it('a worker without an S3 endpoint (the SDK goes to AWS): diagnosed as S3 endpoint missing', { timeout: 300_000 }, async () => {
    const loaded = ownQueue('s3');
    const connection = await connectWorkerNative(loaded.stack);
    const clients = await openStoreClients(loaded.stack, loaded.env);
    const credentials = loaded.stack.credentials;
    // The seeds' bug #4: no endpoint, so the SDK resolves the real AWS S3.
    const awsDefault = new S3Client({
      region: credentials.awsRegion,
      credentials: { accessKeyId: credentials.awsAccessKeyId, secretAccessKey: credentials.awsSecretAccessKey },
      maxAttempts: 1,
    });
    const deps = { ...realActivityDeps(loaded.stack, loaded.env, clients), documents: createS3DocumentSource(awsDefault, 1_000_000) };
    const worker = await createIngestionWorker({
      connection,
      namespace: loaded.config.ingestion.namespace,
      taskQueue: loaded.config.ingestion.taskQueue,
      bundle,
      activities: createActivities(deps),
    });
    try {
      const { result, read } = await worker.runUntil(
        runPhaseForTest(loaded, { phase: phase2d, externalWorker: true, overrides: { workflows: 2 }, tests: ['test_concurrent_ingestion_real_databases'] }),
      );
      expect(result.tests[0].status).toBe('failed');
      expect(result.diagnoses.map((diagnosis) => diagnosis.signature)).toContain('s3-endpoint-missing');
      const issues = read('ISSUES.md');
      expect(issues).toContain('S3 endpoint not set');
      // The fix names the S3 endpoint the stack is configured with.
      expect(issues).toContain(`S3_ENDPOINT_URL=${httpBaseUrl(resolveEndpoint(loaded.config, serviceByName('s3')))} `);
      expect(issues).toContain('amazonaws.com');
    } finally {
      awsDefault.destroy();
      await closeStoreClients(clients);
      await connection.close();
    }
  });
});
