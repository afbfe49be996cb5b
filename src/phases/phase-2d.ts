import { uploadDocument } from '../services/s3/writes.js';
import { createEmbedder } from '../ingestion/embeddings/embedder.js';
import { closeStoreClients, openStoreClients, realActivityDeps } from '../ingestion/worker-dependencies.js';
import type { PhaseDefinition } from './phase-definition.js';
import { countRunInStores, deleteRunFromStores, describeStoreError } from './store-counts.js';
import { phase2dThresholds, type Phase2dThresholds } from './thresholds.js';
import { atLeast, atMost, sized, workloadTest } from './workload-test.js';
import type { FailureEvidence } from '../results/run-result.js';

/**
 * Phase 2D: the reference workflow against the real PostgreSQL, Neo4j, Qdrant, Redis and S3. Every test
 * counts, by run id, what landed in every store.
 */
export const phase2d: PhaseDefinition<typeof phase2dThresholds> = {
  id: '2d',
  title: 'Phase 2D: Load Tests - Real Databases',
  description: 'Ingestion workflows against the real stores and S3; exact per-run counts in every store.',
  services: ['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'],
  thresholds: phase2dThresholds,
  nextStep: 'Proceed to phase 2E (metrics validation).',
  async openEnvironment(loaded) {
    const clients = await openStoreClients(loaded.stack, loaded.env).catch((error: unknown) => {
      throw Object.assign(new Error(`cannot connect to the stores: ${describeStoreError(error)}`), { cause: error });
    });
    const bucket = loaded.config.ingestion.testBucket;
    // A probe count per store: unreachable or unmigrated stores fail every test with their own evidence.
    const { errors } = await countRunInStores(loaded.stack, clients, bucket, 'apex-preflight');
    const problems: FailureEvidence[] = errors.map((error) => ({
      ...error,
      summary: error.summary.replace('cannot count run apex-preflight', 'not ready before the phase'),
    }));
    const embedder = createEmbedder(loaded.config, loaded.env);
    return {
      embeddings: `${embedder.provider} (${embedder.dimensions} dims)`,
      problems,
      activityDeps: (faults) => realActivityDeps(loaded.stack, loaded.env, clients, faults),
      environment: {
        bucket,
        upload: (key, document) => uploadDocument(clients.s3, bucket, { key, body: document.body, contentType: document.contentType }),
        counts: (runId) => countRunInStores(loaded.stack, clients, bucket, runId),
        cleanup: (runId) => deleteRunFromStores(loaded.stack, clients, bucket, runId),
        close: () => closeStoreClients(clients),
      },
    };
  },
  tests: [
    workloadTest<Phase2dThresholds>({
      name: 'test_concurrent_ingestion_real_databases',
      description: 'Starts every workflow at once against the real stores; exact counts in PostgreSQL, Neo4j, Qdrant, Redis and S3.',
      spec: (ctx, t) => ({
        label: 'concurrent',
        count: sized(ctx, t.concurrentWorkflows),
        model: { kind: 'closed', concurrency: sized(ctx, t.concurrentWorkflows) },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
    }),
    workloadTest<Phase2dThresholds>({
      name: 'test_saga_under_load',
      description: "Fails one store's write in every workflow; the saga must compensate so that nothing is left in ANY store.",
      skipReason: (ctx) => (ctx.faults ? undefined : 'fault injection needs the in-process worker (--external-worker cannot be told to fail)'),
      spec: (ctx, t) => ({
        label: 'saga',
        count: sized(ctx, t.sagaWorkflows),
        model: { kind: 'closed', concurrency: sized(ctx, t.sagaWorkflows) },
        faults: { permanent: [`write_${t.sagaFailingStore}`] },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: () => ({ minSuccessRate: 1, failureType: 'WriteSagaCompensated' }),
      extraChecks: (run) => {
        const stores = ['postgres', 'neo4j', 'qdrant', 'redis'];
        const compensated = run.outcomes.filter((outcome) =>
          stores.every((store) => outcome.history?.activities.some((activity) => activity.name === `compensate_${store}` && activity.outcome === 'completed')),
        );
        return [
          {
            name: 'workflows whose history shows all four compensations completed',
            expected: String(run.planned),
            actual: String(compensated.length),
            passed: run.planned > 0 && compensated.length === run.planned,
          },
        ];
      },
    }),
    workloadTest<Phase2dThresholds>({
      name: 'test_database_write_concurrency',
      description: 'Concurrent documents that share entities: contended MERGEs in Neo4j and parallel writes in all four stores.',
      spec: (ctx, t) => ({
        label: 'writes',
        count: sized(ctx, t.writeConcurrencyWorkflows),
        model: { kind: 'closed', concurrency: sized(ctx, t.writeConcurrencyWorkflows) },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
    }),
    workloadTest<Phase2dThresholds>({
      name: 'test_end_to_end_latency',
      description: 'Open-model load at a fixed start rate; intended start → close latency (P50/P95/P99) from histories.',
      spec: (ctx, t) => ({
        label: 'latency',
        count: sized(ctx, t.latencyWorkflows),
        model: { kind: 'open', ratePerSecond: t.latencyRatePerSecond },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
      extraChecks: (_run, { metrics }, t) => [
        atMost('end-to-end latency P50', metrics.endToEndMs?.p50, t.maxEndToEndP50Ms),
        atMost('end-to-end latency P95', metrics.endToEndMs?.p95, t.maxEndToEndP95Ms),
        atMost('end-to-end latency P99', metrics.endToEndMs?.p99, t.maxEndToEndP99Ms),
      ],
    }),
    workloadTest<Phase2dThresholds>({
      name: 'test_sustained_throughput_real_db',
      description: 'Closed-model load at fixed concurrency against the real stores; completed workflows per second.',
      spec: (ctx, t) => ({
        label: 'sustained',
        count: sized(ctx, t.sustainedWorkflows),
        durationMs: ctx.overrides.durationMs,
        model: { kind: 'closed', concurrency: ctx.overrides.concurrency ?? t.sustainedConcurrency },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
      extraChecks: (_run, { metrics }, t) => [atLeast('throughput', metrics.throughputWorkflowsPerSecond, t.minThroughputWorkflowsPerSecond, 'workflows/s')],
    }),
  ],
};
