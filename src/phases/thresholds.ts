import { z } from 'zod';
import type { ApexConfig } from '../config/schema.js';
import { configError } from '../errors.js';

const count = z.number().int().positive();
const ms = z.number().positive();

/** Phase 2C: sizes and pass thresholds (config `phases['2c']`); defaults follow the load tests of the ingestion system's own test suite. */
export const phase2cThresholds = z
  .object({
    concurrentWorkflows: count.default(100),
    latencyWorkflows: count.default(100),
    // Below the dev server's capacity on a 2-core machine (fsync-bound SQLite): an open model above it only measures the queue.
    latencyRatePerSecond: z.number().positive().default(5),
    maxSchedulingP50Ms: ms.default(500),
    maxSchedulingP95Ms: ms.default(2_000),
    maxSchedulingP99Ms: ms.default(5_000),
    backlogWorkflows: count.default(100),
    maxBacklogDrainSeconds: z.number().positive().default(60),
    throughputWorkflows: count.default(300),
    throughputConcurrency: count.default(50),
    // The floor of the ingestion system's test_workflow_throughput; the dev server on a 2-core CI machine does about 21.
    minThroughputWorkflowsPerSecond: z.number().nonnegative().default(10),
    retryWorkflows: count.default(50),
    injectedFailuresPerWorkflow: count.default(1),
    minSuccessRate: z.number().min(0).max(1).default(1),
    workflowTimeoutSeconds: z.number().positive().default(120),
  })
  .strict();

/** Phase 2D: sizes and pass thresholds (config `phases['2d']`). */
export const phase2dThresholds = z
  .object({
    concurrentWorkflows: count.default(50),
    sagaWorkflows: count.default(20),
    sagaFailingStore: z.enum(['postgres', 'neo4j', 'qdrant', 'redis']).default('neo4j'),
    writeConcurrencyWorkflows: count.default(30),
    latencyWorkflows: count.default(50),
    latencyRatePerSecond: z.number().positive().default(3),
    maxEndToEndP50Ms: ms.default(3_000),
    maxEndToEndP95Ms: ms.default(8_000),
    maxEndToEndP99Ms: ms.default(15_000),
    sustainedWorkflows: count.default(100),
    sustainedConcurrency: count.default(20),
    minThroughputWorkflowsPerSecond: z.number().nonnegative().default(2),
    minSuccessRate: z.number().min(0).max(1).default(1),
    workflowTimeoutSeconds: z.number().positive().default(180),
  })
  .strict();

export type Phase2cThresholds = z.infer<typeof phase2cThresholds>;
export type Phase2dThresholds = z.infer<typeof phase2dThresholds>;

/** Validates `phases[<id>]`; an error names the exact config key and what it expected. */
export function parseThresholds<S extends z.ZodTypeAny>(config: ApexConfig, phase: string, schema: S): z.infer<S> {
  const result = schema.safeParse(config.phases[phase] ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = ['phases', phase, ...issue.path.map(String)].join('.');
  const what = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
  throw configError(
    `Config key \`${key}\` is invalid: ${what}.`,
    `Fix \`${key}\` in apex.config.yaml; \`apex test list --json\` shows every phase's keys and defaults.`,
  );
}
