import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { pollUntil, systemClock, type Clock } from '../runtime/poll.js';
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
  const log: string[] = [];
  let child: ResultPromise | undefined;
  let exited: Promise<unknown> | undefined;
  let alive = false;
  const keep = (chunk: string): void => {
    log.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  const worker: WorkerProcess = {
    metricsAddress: spec.metricsAddress,
    get running() {
      return alive;
    },
    async start() {
      if (alive) return;
      const [binary, ...args] = spec.command;
      child = execa(binary, args, { cwd: spec.cwd, env: spec.env, reject: false, all: true, buffer: false });
      alive = true;
      child.all?.setEncoding('utf8');
      child.all?.on('data', keep);
      exited = child.then(() => {
        alive = false;
      });
      const ready = await pollUntil(
        async () => {
          if (!alive) return false;
          const response = await fetch(`http://${spec.metricsAddress}/metrics`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
          if (!response?.ok) return undefined;
          return hasPollers(await response.text(), spec.taskQueue) ? true : undefined;
        },
        { timeoutMs: spec.readyTimeoutMs, intervalMs: 250, clock },
      );
      if (ready !== true) {
        const why = alive ? `did not poll ${spec.taskQueue} with metrics on ${spec.metricsAddress} within ${spec.readyTimeoutMs} ms` : 'exited';
        await worker.kill();
        throw new Error(`the worker process (${spec.command.slice(1).join(' ')}) ${why}; last lines:\n${log.slice(-15).join('\n')}`);
      }
    },
    async kill() {
      if (!child || !alive) return;
      child.kill('SIGKILL');
      await exited;
    },
    logTail: (lines = 20) => log.slice(-lines),
  };
  return worker;
}
