import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { execa, type ResultPromise } from 'execa';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { pollUntil, systemClock } from '../../src/runtime/poll.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import type { StackContext } from '../../src/services/service.js';

/** test/apex-memory-double: the Python contract double of the Apex Memory team's worker (see its README). */
const { freePort } = createPortAllocator();

/** Small sizes and loose latency bounds for a shared 2-core machine; what landed in the stores is still checked per document. */
export const SMALL_PHASES = `phases:
  2c: { minThroughputWorkflowsPerSecond: 0.5, maxSchedulingP50Ms: 5000, maxSchedulingP95Ms: 15000, maxSchedulingP99Ms: 20000, maxBacklogDrainSeconds: 120 }
  2d: { minThroughputWorkflowsPerSecond: 0.2, maxEndToEndP50Ms: 30000, maxEndToEndP95Ms: 60000, maxEndToEndP99Ms: 90000 }
`;

/** The contract's `temporal` and `worker` keys that make apex start the double as the team's worker, on a queue of the test's own. */
export const doubleWorkerSection = async (queue: string, extraEnv = '') => `  temporal: { taskQueue: ${queue} }
  worker:
    command: [${JSON.stringify(process.env.APEX_MEMORY_DOUBLE_PYTHON)}, -m, apex_memory_double.worker]
    cwd: ${JSON.stringify(DOUBLE_DIR)}
    env: { METRICS_PORT: "${await freePort()}"${extraEnv} }
    phaseEnv: { "2c": { APEX_DOUBLE_MOCK_ACTIVITIES: "1" } }
`;

export const DOUBLE_DIR = fileURLToPath(new URL('../apex-memory-double/', import.meta.url));

/**
 * Why the contract double cannot run here, or undefined when it can: its venv comes from
 * test/provision/apex-memory-double.sh, and ci.env names its interpreter. In CI a missing venv is a failure.
 */
export function missingDoublePython(): string | undefined {
  const python = process.env.APEX_MEMORY_DOUBLE_PYTHON;
  const reason = !python
    ? 'APEX_MEMORY_DOUBLE_PYTHON is not set (run test/provision/provision.sh, then `set -a; . /var/tmp/apex-servers/ci.env`)'
    : existsSync(python)
      ? undefined
      : `APEX_MEMORY_DOUBLE_PYTHON=${python} does not exist (run test/provision/apex-memory-double.sh build)`;
  if (reason && process.env.CI) throw new Error(`CI must not skip the contract double's tests: ${reason}`);
  if (reason) console.warn(`skipping the contract double's tests: ${reason}`);
  return reason;
}

export interface DoubleOptions {
  namespace: string;
  taskQueue: string;
  /** The double keeps its tables in a database of its own (apex's `documents` table has another schema). */
  postgresDb: string;
  bucket: string;
  mockActivities?: boolean;
  /** The documented era whose workflow and activities the double runs (default `s3`). */
  era?: 's3' | 'staging';
  /** The staging era's staging folder (default: a temporary folder of the double's). */
  stagingDir?: string;
  /** A metric that stays exposed and never moves (a broken counter). */
  frozenMetric?: string;
}

export interface RunningDouble {
  readonly metricsUrl: string;
  logTail(lines?: number): string;
  /** SIGSTOP: the worker hangs, and Temporal still lists it as polling its queue. */
  pause(): void;
  /** SIGTERM (after SIGCONT), then waits for the process to exit. */
  stop(): Promise<void>;
}

/** The documented variables the team's worker reads, pointed at the stack's endpoints and credentials. */
export function doubleEnvironment(stack: StackContext, options: DoubleOptions, metricsPort: number): NodeJS.ProcessEnv {
  const endpoint = (name: string) => resolveEndpoint(stack.config, serviceByName(name));
  const { credentials } = stack;
  const postgres = endpoint('postgres');
  const neo4j = endpoint('neo4j');
  const qdrant = endpoint('qdrant');
  const redis = endpoint('redis');
  const s3 = endpoint('s3');
  const temporalEndpoint = endpoint('temporal');
  return {
    PATH: process.env.PATH,
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.ports.postgres),
    POSTGRES_USER: credentials.postgresUser,
    POSTGRES_PASSWORD: credentials.postgresPassword,
    POSTGRES_DB: options.postgresDb,
    NEO4J_URI: `bolt://${neo4j.host}:${neo4j.ports.bolt}`,
    NEO4J_USER: credentials.neo4jUser,
    NEO4J_PASSWORD: credentials.neo4jPassword,
    QDRANT_HOST: qdrant.host,
    QDRANT_PORT: String(qdrant.ports.http),
    QDRANT_API_KEY: credentials.qdrantApiKey,
    REDIS_HOST: redis.host,
    REDIS_PORT: String(redis.ports.redis),
    REDIS_PASSWORD: credentials.redisPassword,
    S3_ENDPOINT_URL: `http://${s3.host}:${s3.ports.http}`,
    AWS_ACCESS_KEY_ID: credentials.awsAccessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.awsSecretAccessKey,
    AWS_DEFAULT_REGION: credentials.awsRegion,
    APEX_DOCUMENTS_BUCKET: options.bucket,
    TEMPORAL_HOST: temporalEndpoint.host,
    TEMPORAL_PORT: String(temporalEndpoint.ports.grpc),
    TEMPORAL_NAMESPACE: options.namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    METRICS_PORT: String(metricsPort),
    APEX_DOUBLE_MOCK_ACTIVITIES: options.mockActivities ? '1' : '0',
    APEX_DOUBLE_ERA: options.era ?? 's3',
    ...(options.stagingDir ? { APEX_DOUBLE_STAGING_DIR: options.stagingDir } : {}),
    ...(options.frozenMetric ? { APEX_DOUBLE_FROZEN_METRIC: options.frozenMetric } : {}),
  };
}

const hasPollers = async (connection: Connection, namespace: string, taskQueue: string): Promise<boolean> => {
  const { TaskQueueType } = proto.temporal.api.enums.v1;
  const kinds = [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];
  for (const taskQueueType of kinds) {
    const response = await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType });
    if ((response.pollers ?? []).length === 0) return false;
  }
  return true;
};

/** Starts `python -m apex_memory_double.worker` and waits until it polls its workflow and activity queues. */
export async function startDouble(stack: StackContext, connection: Connection, options: DoubleOptions, readyTimeoutMs = 90_000): Promise<RunningDouble> {
  const metricsPort = await freePort();
  const lines: string[] = [];
  const child: ResultPromise = execa(process.env.APEX_MEMORY_DOUBLE_PYTHON!, ['-m', 'apex_memory_double.worker'], {
    cwd: DOUBLE_DIR,
    env: doubleEnvironment(stack, options, metricsPort),
    extendEnv: false,
    reject: false,
    all: true,
    buffer: false,
  });
  let alive = true;
  const exited = child.then(() => {
    alive = false;
  });
  child.all?.setEncoding('utf8');
  child.all?.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter((line) => line.trim() !== '')));
  const logTail = (count = 30) => lines.slice(-count).join('\n');
  const signal = (name: NodeJS.Signals) => alive && child.kill(name);
  const stop = async () => {
    signal('SIGCONT');
    signal('SIGTERM');
    await exited;
  };
  const ready = await pollUntil(
    async () => (!alive ? false : (await hasPollers(connection, options.namespace, options.taskQueue).catch(() => false)) || undefined),
    { timeoutMs: readyTimeoutMs, intervalMs: 250, clock: systemClock },
  );
  if (ready !== true) {
    await stop();
    throw new Error(`the contract double ${alive ? `did not poll ${options.taskQueue} in time` : 'exited'}; last lines:\n${logTail()}`);
  }
  return { metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, logTail, pause: () => signal('SIGSTOP'), stop };
}
