import { uploadDocument } from '../services/s3/writes.js';
import { createEmbedder } from '../ingestion/embeddings/embedder.js';
import { realActivityDeps } from '../ingestion/worker-dependencies.js';
import { openContractStores } from './contract-stores.js';
import type { PhaseDefinition } from './phase-definition.js';
import { preflightStores } from './store-verification.js';
import { phase2dThresholds, type Phase2dThresholds } from './thresholds.js';
import { atLeast, atMost, sized, workloadTest } from './workload-test.js';

/**
 * Phase 2D: the worker under test against the real PostgreSQL, Neo4j, Qdrant, Redis and S3. Every test verifies
 * what landed in every store through the worker contract's queries.
 */
export const phase2d: PhaseDefinition<typeof phase2dThresholds> = {
  id: '2d',
  title: 'Phase 2D: Load Tests - Real Databases',
  description: "Ingestion workflows against the real stores and S3; every store checked through the worker contract's queries.",
  services: ['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'],
  thresholds: phase2dThresholds,
  nextStep: 'Proceed to phase 2E (metrics validation).',
  async openEnvironment(loaded, run) {
    const { clients, queries, close } = await openContractStores(loaded, run.contract.postgresDatabase);
    // Every query of the contract once, before any workflow: an unreachable store, a missing table or bucket, or a
    // query the worker's schema does not support fails every test with its own evidence.
    const problems = await preflightStores(run.contract, queries.count, { runId: 'apex-preflight', phase: '2d' });
    const embedder = createEmbedder(loaded.config, loaded.env);
    return {
      embeddings: `${embedder.provider} (${embedder.dimensions} dims)`,
      problems,
      activityDeps: (faults) => realActivityDeps(loaded.stack, loaded.env, clients, faults),
      environment: {
        upload: (bucket, key, document) => uploadDocument(clients.s3, bucket, { key, body: document.body, contentType: document.contentType }),
        stores: queries,
        verifies: "workflow results and histories, and every store through the worker contract's queries",
        close,
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
      skipReason: (ctx) => {
        if (!ctx.contract.saga) return 'the worker contract does not say how a compensated failure shows (add `saga` to the contract)';
        if (!ctx.contract.faults) return 'the worker contract has no way to make a store write fail (add `faults` to the contract)';
        return ctx.contract.faults.kind === 'in-process' && !ctx.faults
          ? 'fault injection needs the in-process worker (--external-worker cannot be told to fail)'
          : undefined;
      },
      spec: (ctx, t) => ({
        label: 'saga',
        count: sized(ctx, t.sagaWorkflows),
        model: { kind: 'closed', concurrency: sized(ctx, t.sagaWorkflows) },
        failingStore: t.sagaFailingStore,
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: () => ({ minSuccessRate: 1, compensated: true }),
      extraChecks: (run, _result, _t, _spec, contract) => {
        // A saga that runs inside one activity leaves no compensation activities in the history: its stores are checked instead.
        const activities = contract.saga?.failedAs === 'execution' ? contract.saga.compensationActivities : [];
        if (activities.length === 0) return [];
        const compensated = run.outcomes.filter((outcome) =>
          activities.every((name) => outcome.history?.activities.some((activity) => activity.name === name && activity.outcome === 'completed')),
        );
        return [
          {
            name: `workflows whose history shows every compensation completed (${activities.join(', ')})`,
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
