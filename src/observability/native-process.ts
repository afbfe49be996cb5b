import { systemClock, type Clock } from '../runtime/poll.js';
import { LineLog, spawnChild, waitUntilServing } from './child-process.js';

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

/** Starts a server binary (Prometheus, Alertmanager) as a child of apex and waits until it serves. */
export async function startNativeProcess(spec: NativeProcessSpec, clock: Clock = systemClock): Promise<NativeProcess> {
  const log = new LineLog();
  const child = spawnChild([spec.binary, ...spec.args], { cwd: spec.cwd, log });
  await waitUntilServing(child, log, {
    probe: async () => ((await fetch(spec.readyUrl, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined))?.ok ? true : undefined),
    timeoutMs: spec.readyTimeoutMs,
    intervalMs: 200,
    clock,
    what: `${spec.name} (${spec.binary})`,
    notReady: `did not answer ${spec.readyUrl} within ${spec.readyTimeoutMs} ms`,
    stopWith: 'SIGTERM',
  });
  return { name: spec.name, pid: child.pid, stop: () => child.stop('SIGTERM') };
}
