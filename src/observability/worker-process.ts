import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '../runtime/poll.js';
import { LineLog, spawnChild, waitUntilServing, type ChildProcess } from './child-process.js';
import { parseExposition } from './exposition.js';

export interface WorkerProcessSpec {
  /** The executable and its arguments, e.g. node bin/run.js worker ... */
  command: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** host:port of the worker's SDK Prometheus endpoint. */
  metricsAddress: string;
  /** The queue the worker polls: it is ready once its pollers show in its metrics. */
  taskQueue: string;
  readyTimeoutMs: number;
}

/** A worker apex runs as a separate process, so that stopping it takes its metrics endpoint down as a crash would. */
export interface WorkerProcess {
  readonly metricsAddress: string;
  readonly running: boolean;
  /** Starts the process and waits until it polls its task queue. */
  start(): Promise<void>;
  /** SIGKILL: the worker dies the way a crashed or OOM-killed one does. */
  kill(): Promise<void>;
  logTail(lines?: number): string[];
}

/** The `apex worker` command of this installation, as a child process; the config file names its task queue. */
export function apexWorkerCommand(options: { metricsAddress: string; configFile: string }): string[] {
  const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
  return [process.execPath, bin, 'worker', '--metrics-address', options.metricsAddress, '--config', options.configFile];
}

const hasPollers = (metricsText: string, taskQueue: string): boolean =>
  (parseExposition(metricsText).get('temporal_num_pollers')?.samples ?? 0) > 0 && metricsText.includes(`task_queue="${taskQueue}"`);

export function createWorkerProcess(spec: WorkerProcessSpec, clock: Clock = systemClock): WorkerProcess {
  const log = new LineLog();
  let child: ChildProcess | undefined;
  const worker: WorkerProcess = {
    metricsAddress: spec.metricsAddress,
    get running() {
      return child?.alive ?? false;
    },
    async start() {
      if (child?.alive) return;
      child = spawnChild(spec.command, { cwd: spec.cwd, env: spec.env, log });
      await waitUntilServing(child, log, {
        probe: async () => {
          const response = await fetch(`http://${spec.metricsAddress}/metrics`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
          if (!response?.ok) return undefined;
          return hasPollers(await response.text(), spec.taskQueue) ? true : undefined;
        },
        timeoutMs: spec.readyTimeoutMs,
        intervalMs: 250,
        clock,
        what: `the worker process (${spec.command.slice(1).join(' ')})`,
        notReady: `did not poll ${spec.taskQueue} with metrics on ${spec.metricsAddress} within ${spec.readyTimeoutMs} ms`,
        stopWith: 'SIGKILL',
      });
    },
    async kill() {
      if (child?.alive) await child.stop('SIGKILL');
    },
    logTail: (lines) => log.tail(lines),
  };
  return worker;
}
