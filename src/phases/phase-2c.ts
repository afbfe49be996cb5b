import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalEmbedder } from '../ingestion/embeddings/local-embedder.js';
import { INGESTION_LIMITS } from '../ingestion/limits.js';
import { createInMemoryStack } from './in-memory-stores.js';
import type { PhaseDefinition } from './phase-definition.js';
import { phase2cThresholds, type Phase2cThresholds } from './thresholds.js';
import { atLeast, atMost, sized, workloadTest } from './workload-test.js';

const needsInProcessWorker = (what: string) => (ctx: { faults?: unknown }) =>
  ctx.faults ? undefined : `${what} needs the in-process worker (--external-worker cannot be told to fail)`;

/**
 * Phase 2C: Temporal under load with the stores mocked: apex's in-process worker runs its activities over
 * in-memory stores and S3, and a worker under test runs its own mock activities under the real names. Verified
 * by workflow results and histories only.
 */
export const phase2c: PhaseDefinition<typeof phase2cThresholds> = {
  id: '2c',
  title: 'Phase 2C: Load Tests - Mocked DBs',
  description: 'Temporal orchestration under load; stores are in-memory stand-ins under the real activity names.',
  services: ['temporal'],
  thresholds: phase2cThresholds,
  nextStep: 'Proceed to phase 2D (real databases): `apex test phase 2d`.',
  async openEnvironment(loaded) {
    const memory = createInMemoryStack();
    return {
      embeddings: `local (${loaded.config.ingestion.embeddings.dimensions} dims)`,
      problems: [],
      activityDeps: (faults) => ({
        documents: memory.documents,
        stores: memory.stores,
        embedder: createLocalEmbedder(loaded.config.ingestion.embeddings.dimensions),
        faults,
        limits: INGESTION_LIMITS,
        tempDir: join(tmpdir(), 'apex-ingestion'),
      }),
      environment: {
        // S3 deliveries land in memory, where apex's in-process worker reads them; a worker under test's mock
        // activities read no document.
        upload: async (bucket, key, document) => memory.documents.put(bucket, key, { body: document.body, contentType: document.contentType }),
        verifies: 'workflow results and histories only: the stores and S3 are mocked',
        close: async () => undefined,
      },
    };
  },
  tests: [
    workloadTest<Phase2cThresholds>({
      name: 'test_100_concurrent_workflows',
      description: 'Starts every workflow at once; all must succeed, with results that match their documents where the contract says counts are exact.',
      spec: (ctx, t) => ({
        label: 'concurrent',
        count: sized(ctx, t.concurrentWorkflows),
        model: { kind: 'closed', concurrency: sized(ctx, t.concurrentWorkflows) },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
    }),
    workloadTest<Phase2cThresholds>({
      name: 'test_workflow_scheduling_latency',
      description: 'Open-model load at a fixed start rate; submit → first workflow task latency (P50/P95/P99) from histories.',
      spec: (ctx, t) => ({
        label: 'latency',
        count: sized(ctx, t.latencyWorkflows),
        model: { kind: 'open', ratePerSecond: t.latencyRatePerSecond },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
      extraChecks: (_run, { metrics }, t) => [
        atMost('scheduling latency P50', metrics.schedulingMs?.p50, t.maxSchedulingP50Ms),
        atMost('scheduling latency P95', metrics.schedulingMs?.p95, t.maxSchedulingP95Ms),
        atMost('scheduling latency P99', metrics.schedulingMs?.p99, t.maxSchedulingP99Ms),
      ],
    }),
    workloadTest<Phase2cThresholds>({
      name: 'test_worker_task_queue_handling',
      description: 'Queues a backlog with no worker polling, then starts one: the backlog must drain completely and in time.',
      spec: (ctx, t) => {
        const backlogQueue = ctx.startWorker ? `${ctx.taskQueue}-backlog` : ctx.taskQueue;
        return {
          label: 'backlog',
          count: sized(ctx, t.backlogWorkflows),
          // Submitted as fast as the client can: the backlog builds before any worker polls its queue.
          model: { kind: 'open', ratePerSecond: 10_000 },
          taskQueue: backlogQueue,
          timeoutSeconds: t.workflowTimeoutSeconds,
          afterSubmit: async () => {
            if (!ctx.startWorker) return;
            const worker = await ctx.startWorker(backlogQueue);
            ctx.progress.note(`backlog queued on ${backlogQueue}; worker started`);
            ctx.onTestEnd(() => worker.stop());
          },
        };
      },
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
      extraChecks: (run, _result, t) => {
        const lastClose = Math.max(0, ...run.outcomes.map((outcome) => outcome.history?.closedAt ?? 0));
        const drainSeconds = lastClose > 0 ? (lastClose - run.allSubmittedAt) / 1000 : undefined;
        return [atMost('backlog drained after the worker started', drainSeconds, t.maxBacklogDrainSeconds, 's')];
      },
    }),
    workloadTest<Phase2cThresholds>({
      name: 'test_workflow_throughput',
      description: 'Closed-model load at fixed concurrency; completed workflows per second.',
      spec: (ctx, t) => ({
        label: 'throughput',
        count: sized(ctx, t.throughputWorkflows),
        durationMs: ctx.overrides.durationMs,
        model: { kind: 'closed', concurrency: ctx.overrides.concurrency ?? t.throughputConcurrency },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
      extraChecks: (_run, { metrics }, t) => [atLeast('throughput', metrics.throughputWorkflowsPerSecond, t.minThroughputWorkflowsPerSecond, 'workflows/s')],
    }),
    workloadTest<Phase2cThresholds>({
      name: 'test_activity_retry_under_load',
      description: 'Injects transient failures into write_qdrant; every workflow must still complete, and the retries are counted from the histories.',
      skipReason: needsInProcessWorker('fault injection'),
      spec: (ctx, t) => ({
        label: 'retry',
        count: sized(ctx, t.retryWorkflows),
        model: { kind: 'closed', concurrency: ctx.overrides.concurrency ?? t.throughputConcurrency },
        faults: { transient: { write_qdrant: t.injectedFailuresPerWorkflow } },
        timeoutSeconds: t.workflowTimeoutSeconds,
      }),
      expectation: (t) => ({ minSuccessRate: t.minSuccessRate }),
      extraChecks: (run, { metrics }, t) => {
        const completed = run.outcomes.filter((outcome) => outcome.history?.status === 'completed');
        const attempts = (outcome: (typeof completed)[number]) =>
          Math.max(0, ...(outcome.history?.activities ?? []).filter((activity) => activity.name === 'write_qdrant').map((activity) => activity.attempt));
        const retried = completed.filter((outcome) => attempts(outcome) > t.injectedFailuresPerWorkflow).length;
        const injected = completed.length * t.injectedFailuresPerWorkflow;
        return [
          {
            name: 'completed workflows whose history shows the injected write_qdrant retries',
            expected: `${completed.length}/${run.planned}`,
            actual: `${retried}/${run.planned}`,
            passed: run.planned > 0 && retried === completed.length,
          },
          // Retries beyond the injected ones (a slow machine's timeouts) are reported, not hidden, and do not fail the test.
          {
            name: 'activity retries counted from histories',
            expected: `≥ ${injected} (injected)`,
            actual: String(metrics.activityRetries),
            passed: metrics.activityRetries >= injected && injected > 0,
          },
        ];
      },
    }),
  ],
};
