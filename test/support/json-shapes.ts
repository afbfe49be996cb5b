import { z } from 'zod';

/**
 * The --json shapes of the lifecycle commands, written independently of src so that changing an output breaks a
 * test. A breaking change bumps apiVersion; adding a field means adding it here.
 */
const serviceName = z.enum(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3', 'prometheus', 'grafana', 'alertmanager']);

const healthResult = z
  .object({
    service: serviceName,
    ok: z.boolean(),
    latencyMs: z.number().nonnegative(),
    version: z.string().optional(),
    detail: z.string().optional(),
    error: z.string().optional(),
    fix: z.string().optional(),
    rejectedKey: z.string().optional(),
    standIn: z.string().optional(),
  })
  .strict();

const port = z.object({ name: z.string(), host: z.number().int(), container: z.number().int(), bindAddress: z.string() }).strict();

export const statusShape = z
  .object({
    apiVersion: z.literal(1),
    project: z.string(),
    runtime: z.enum(['docker', 'external']),
    healthy: z.boolean(),
    services: z.array(
      z
        .object({
          service: serviceName,
          state: z.enum(['running', 'exited', 'created', 'restarting', 'paused', 'dead', 'missing', 'external']),
          containerHealth: z.enum(['healthy', 'unhealthy', 'starting', 'none']),
          ports: z.array(port),
          uptimeSeconds: z.number().int().nonnegative().optional(),
          image: z.string().optional(),
          containerId: z.string().optional(),
          probe: healthResult.optional(),
        })
        .strict(),
    ),
  })
  .strict();

const seedResult = z
  .object({
    service: serviceName,
    ok: z.boolean(),
    applied: z.array(z.string()),
    unchanged: z.array(z.string()),
    durationMs: z.number().nonnegative(),
    error: z.string().optional(),
    fix: z.string().optional(),
    rejectedKey: z.string().optional(),
  })
  .strict();

export const upShape = z
  .object({
    apiVersion: z.literal(1),
    project: z.string(),
    runtime: z.enum(['docker', 'external']),
    unchanged: z.boolean(),
    envFileCreated: z.boolean(),
    envKeysAdded: z.array(z.string()),
    services: z.array(
      z
        .object({
          service: serviceName,
          change: z.enum(['unchanged', 'started', 'created', 'recreated', 'external']),
          image: z.string().optional(),
          healthy: z.boolean(),
        })
        .strict(),
    ),
    seed: z.array(seedResult),
    endpoints: z.array(
      z
        .object({
          service: serviceName,
          urls: z.array(z.object({ name: z.string(), url: z.string(), ui: z.boolean() }).strict()),
          credentials: z.record(z.string(), z.string()),
        })
        .strict(),
    ),
    durationMs: z.number().nonnegative(),
  })
  .strict();

export const downShape = z
  .object({
    apiVersion: z.literal(1),
    project: z.string(),
    dataKept: z.boolean(),
    containers: z.array(z.string()),
    networks: z.array(z.string()),
    volumes: z.array(z.string()),
  })
  .strict();

export const doctorShape = z
  .object({
    apiVersion: z.literal(1),
    ok: z.boolean(),
    findings: z.array(
      z
        .object({
          check: z.enum(['node', 'config', 'docker', 'memory', 'disk', 'port']),
          subject: z.string(),
          status: z.enum(['ok', 'warn', 'fail', 'skip']),
          message: z.string(),
          fix: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();

export const initShape = z.object({ apiVersion: z.literal(1), configFile: z.string(), envFile: z.string(), overwritten: z.array(z.string()) }).strict();

export const composeExportShape = z.object({ apiVersion: z.literal(1), output: z.string(), services: z.array(serviceName), content: z.string() }).strict();

/** Every failing command under --json prints this instead of its result. */
export const errorShape = z
  .object({
    apiVersion: z.literal(1),
    error: z.object({ code: z.string(), message: z.string(), fix: z.string(), details: z.array(z.string()) }).strict(),
  })
  .strict();

export const seedShape = z.object({ apiVersion: z.literal(1), ok: z.boolean(), results: z.array(seedResult) }).strict();

const resetResult = z
  .object({
    service: serviceName,
    ok: z.boolean(),
    mode: z.enum(['soft', 'hard']),
    cleared: z.array(z.string()),
    applied: z.array(z.string()),
    durationMs: z.number().nonnegative(),
    error: z.string().optional(),
    fix: z.string().optional(),
    rejectedKey: z.string().optional(),
  })
  .strict();

export const resetShape = z.object({ apiVersion: z.literal(1), ok: z.boolean(), results: z.array(resetResult) }).strict();

export const testListShape = z
  .object({
    apiVersion: z.literal(1),
    phases: z.array(
      z
        .object({
          id: z.string(),
          title: z.string(),
          description: z.string(),
          services: z.array(serviceName),
          tests: z.array(z.object({ name: z.string(), description: z.string() }).strict()),
          thresholds: z.record(z.string(), z.unknown()),
          contract: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

const distribution = z
  .object({ count: z.number().int(), min: z.number(), max: z.number(), mean: z.number(), p50: z.number(), p95: z.number(), p99: z.number() })
  .strict();

const phaseSummary = z
  .object({
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    workflowsExecuted: z.number().int().nonnegative(),
    workflowsSucceeded: z.number().int().nonnegative(),
    workflowsExpectedToFail: z.number().int().nonnegative(),
    workflowsFailedAsExpected: z.number().int().nonnegative(),
    throughputWorkflowsPerSecond: z.number(),
    stateTransitionsPerSecond: z.number(),
    transitionsPerWorkflow: z.number(),
    successRate: z.number().min(0).max(1),
    endToEndMs: distribution.optional(),
    schedulingMs: distribution.optional(),
  })
  .strict();

const decision = z.enum(['proceed', 'blocked']);

const runData = z
  .object({
    status: z.enum(['removed', 'kept', 'not-removed', 'no-stores']),
    ledger: z.string().optional(),
    beforeCleanup: z.record(z.string(), z.number().int().nonnegative()),
    leftAfterCleanup: z.record(z.string(), z.number().int().nonnegative()),
    failures: z.array(z.object({ store: z.string(), reason: z.string() }).strict()),
    documentsWithoutUuid: z.number().int().nonnegative(),
  })
  .strict();

export const testPhaseShape = z
  .object({
    apiVersion: z.literal(1),
    ok: z.boolean(),
    phases: z.array(
      z
        .object({
          phase: z.string(),
          title: z.string(),
          runId: z.string(),
          decision,
          recommendation: z.string(),
          summary: phaseSummary,
          reportDir: z.string(),
          issues: z.array(z.string()),
          interrupted: z
            .object({ reason: z.enum(['store-unreachable', 'stack-down', 'signal']), store: z.string().optional(), atMs: z.number() })
            .strict()
            .optional(),
          data: runData.optional(),
        })
        .strict(),
    ),
  })
  .strict();

const storeCounts = z.record(z.enum(['postgres', 'neo4j', 'qdrant', 'redis', 's3']), z.number().int().nonnegative());

/** `apex test clean --list`. */
export const testCleanListShape = z
  .object({
    apiVersion: z.literal(1),
    runs: z.array(
      z
        .object({
          runId: z.string(),
          phase: z.string(),
          startedAt: z.string(),
          contract: z.string(),
          reason: z.enum(['kept', 'left']),
          ended: z.enum(['passed', 'failed', 'interrupted']).optional(),
          workloads: z.number().int().nonnegative(),
          documents: z.number().int().nonnegative(),
          reportDir: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

/** `apex test clean RUN|--all`. */
export const testCleanShape = z
  .object({
    apiVersion: z.literal(1),
    runs: z.array(
      z
        .object({
          runId: z.string(),
          phase: z.string(),
          reportDir: z.string(),
          beforeCleanup: storeCounts,
          leftAfterCleanup: storeCounts,
          documentsWithoutUuid: z.number().int().nonnegative(),
        })
        .strict(),
    ),
  })
  .strict();

export const reportShape = z
  .object({
    apiVersion: z.literal(1),
    reports: z.array(
      z
        .object({
          phase: z.string(),
          title: z.string(),
          runId: z.string(),
          startedAt: z.string(),
          dir: z.string(),
          decision,
          recommendation: z.string(),
          summary: phaseSummary,
          tests: z.array(z.object({ name: z.string(), status: z.enum(['passed', 'failed', 'skipped']), reason: z.string().optional() }).strict()),
          issues: z.array(z.string()),
        })
        .strict(),
    ),
    index: z.string().optional(),
  })
  .strict();

/** `apex worker --json`, printed when the worker stops. */
export const workerShape = z
  .object({
    apiVersion: z.literal(1),
    temporalAddress: z.string(),
    namespace: z.string(),
    taskQueue: z.string(),
    workflowType: z.string(),
    metricsUrl: z.string().url(),
    s3Endpoint: z.string().url(),
    embeddings: z.string(),
    activities: z.array(z.string()).nonempty(),
  })
  .strict();

/** `apex env --json`: the variables with their values (secrets included), and the text printed or written. */
export const envShape = z
  .object({
    apiVersion: z.literal(1),
    contract: z.string(),
    names: z.enum(['contract', 'apex-memory']),
    format: z.enum(['dotenv', 'export', 'json']),
    variables: z.record(z.string(), z.string()),
    perRun: z.array(z.string()),
    output: z.string().optional(),
    content: z.string(),
  })
  .strict();
