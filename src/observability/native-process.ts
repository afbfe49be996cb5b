import { execa, type ResultPromise } from 'execa';
import { pollUntil, systemClock, type Clock } from '../runtime/poll.js';

export interface NativeProcessSpec {
  /** Shown in errors, e.g. "prometheus". */
  name: string;
  binary: string;
  args: string[];
  cwd?: string;
  /** Answers 200 once the process serves. */
  readyUrl: string;
  readyTimeoutMs: number;
}

export interface NativeProcess {
  readonly name: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const LOG_LINES_KEPT = 200;

/** Starts a server binary (Prometheus, Alertmanager) as a child of apex and waits until it serves. */
export async function startNativeProcess(spec: NativeProcessSpec, clock: Clock = systemClock): Promise<NativeProcess> {
  const log: string[] = [];
  const child: ResultPromise = execa(spec.binary, spec.args, { cwd: spec.cwd, reject: false, all: true, buffer: false });
  child.all?.setEncoding('utf8');
  child.all?.on('data', (chunk: string) => {
    log.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    if (log.length > LOG_LINES_KEPT) log.splice(0, log.length - LOG_LINES_KEPT);
  });
  let exited = false;
  const exit = child.then((result) => {
    exited = true;
    return result;
  });
  const running: NativeProcess = {
    name: spec.name,
    pid: child.pid,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
  const ready = await pollUntil(
    async () => {
      if (exited) return false;
      const response = await fetch(spec.readyUrl, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      return response?.ok ? true : undefined;
    },
    { timeoutMs: spec.readyTimeoutMs, intervalMs: 200, clock },
  );
  if (ready !== true) {
    await running.stop();
    const why = exited ? 'exited' : `did not answer ${spec.readyUrl} within ${spec.readyTimeoutMs} ms`;
    throw new Error(`${spec.name} (${spec.binary}) ${why}; last lines:\n${log.slice(-15).join('\n')}`);
  }
  return running;
}
