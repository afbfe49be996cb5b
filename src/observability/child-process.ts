import { execa, type ResultPromise } from 'execa';
import { pollUntil, type Clock } from '../runtime/poll.js';

const LOG_LINES_KEPT = 200;

/** The last lines a child printed (stdout and stderr), for diagnoses; kept across restarts of the same role. */
export class LineLog {
  private readonly lines: string[] = [];

  keep(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    if (this.lines.length > LOG_LINES_KEPT) this.lines.splice(0, this.lines.length - LOG_LINES_KEPT);
  }

  tail(lines = 20): string[] {
    return this.lines.slice(-lines);
  }
}

/** A process apex started and stops again: server binaries and the worker of the observability phases. */
export interface ChildProcess {
  readonly pid: number | undefined;
  readonly alive: boolean;
  /** SIGTERM, then SIGKILL after 5 s; or SIGKILL at once, the way a crash or the OOM killer ends a process. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export function spawnChild(command: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; log: LineLog }): ChildProcess {
  const [binary, ...args] = command;
  const child: ResultPromise = execa(binary, args, { cwd: options.cwd, env: options.env, reject: false, all: true, buffer: false });
  child.all?.setEncoding('utf8');
  child.all?.on('data', (chunk: string) => options.log.keep(chunk));
  let alive = true;
  const exited = child.then(() => {
    alive = false;
  });
  return {
    pid: child.pid,
    get alive() {
      return alive;
    },
    async stop(signal) {
      if (alive) child.kill(signal);
      const timer = signal === 'SIGTERM' ? setTimeout(() => child.kill('SIGKILL'), 5_000) : undefined;
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Readiness {
  /** true once the child serves; undefined while it does not yet. */
  probe(): Promise<true | undefined>;
  timeoutMs: number;
  intervalMs: number;
  clock: Clock;
  /** Names the child in the error, e.g. "prometheus (/usr/bin/prometheus)". */
  what: string;
  /** Why it failed when it is still running at the timeout. */
  notReady: string;
  /** How the child is stopped when it does not serve. */
  stopWith: 'SIGTERM' | 'SIGKILL';
}

/** Waits until the child serves; otherwise stops it and throws with its last lines. */
export async function waitUntilServing(child: ChildProcess, log: LineLog, readiness: Readiness): Promise<void> {
  const ready = await pollUntil<boolean>(async () => (child.alive ? readiness.probe() : false), {
    timeoutMs: readiness.timeoutMs,
    intervalMs: readiness.intervalMs,
    clock: readiness.clock,
  });
  if (ready === true) return;
  const why = child.alive ? readiness.notReady : 'exited';
  await child.stop(readiness.stopWith);
  throw new Error(`${readiness.what} ${why}; last lines:\n${log.tail(15).join('\n')}`);
}
