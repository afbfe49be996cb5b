import { resolve } from 'node:path';
import { renderEnvironment, renderTemplate, type TemplateVariables } from '../contracts/render.js';
import type { WorkerContract } from '../contracts/schema.js';
import { LineLog, spawnChild, waitUntilServing } from '../observability/child-process.js';
import type { Clock } from '../runtime/poll.js';

/** The worker a contract's `worker.command` names, started by apex for one phase run. */
export interface WorkerUnderTest {
  readonly command: string;
  readonly alive: boolean;
  logTail(lines?: number): string[];
  stop(): Promise<void>;
}

export interface WorkerStartOptions {
  worker: NonNullable<WorkerContract['worker']> & { command: string[] };
  phase: string;
  /** The stack's endpoints and credentials and the run's variables, for the command and its environment. */
  vars: TemplateVariables;
  /** A relative `cwd` is taken from here (the config file's directory). */
  projectDir: string;
  /** Resolves true once the worker polls the contract's task queue. */
  isPolling(): Promise<boolean>;
  readyTimeoutMs: number;
  clock: Clock;
  processEnv: NodeJS.ProcessEnv;
}

/**
 * Starts the worker with the stack's endpoints under the variable names it reads (plus the phase's extra
 * variables), and waits until it polls its queue. A worker that exits or never polls fails with its last lines.
 */
export async function startWorkerUnderTest(options: WorkerStartOptions): Promise<WorkerUnderTest> {
  const { worker, vars } = options;
  const command = worker.command.map((part) => renderTemplate(part, vars));
  const env = { ...options.processEnv, ...renderEnvironment(worker.env, vars), ...renderEnvironment(worker.phaseEnv[options.phase] ?? {}, vars) };
  const log = new LineLog();
  const child = spawnChild(command, { cwd: resolve(options.projectDir, worker.cwd ?? '.'), env, log });
  await waitUntilServing(child, log, {
    probe: async () => ((await options.isPolling().catch(() => false)) ? true : undefined),
    timeoutMs: options.readyTimeoutMs,
    intervalMs: 250,
    clock: options.clock,
    what: `the worker under test (${command.join(' ')})`,
    notReady: `did not poll task queue ${String(vars['temporal.taskQueue'])} in namespace ${String(vars['temporal.namespace'])} within ${options.readyTimeoutMs / 1000} s`,
    stopWith: 'SIGTERM',
  });
  return {
    command: command.join(' '),
    get alive() {
      return child.alive;
    },
    logTail: (lines = 30) => log.tail(lines),
    stop: () => child.stop('SIGTERM'),
  };
}
