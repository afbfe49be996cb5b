import { checkHealth, type HealthResult } from '../services/health.js';
import type { ServiceDefinition, ServiceName, StackContext } from '../services/service.js';
import type { InterruptionCause } from './phase-interruption.js';

export interface StackWatchOptions {
  stack: StackContext;
  /** The services the phase uses: the stores it writes and verifies, and Temporal. */
  services: readonly ServiceDefinition[];
  /** When the run started (ms, the run's clock), for the time of failure in the report. */
  startedAt: number;
  now: () => number;
  /** Called once, with the first service(s) that stopped answering. */
  onDown: (cause: InterruptionCause) => void;
  intervalMs?: number;
  /** Probes in a row that must fail before a service counts as gone (one slow answer is not a dead store). */
  failuresToDown?: number;
  /** The same for probes that found no answer in time: a store busy under load is slow, not gone. */
  timeoutsToDown?: number;
  probeTimeoutMs?: number;
  /** The services' health probes; replaced in unit tests. */
  probe?: (services: readonly ServiceDefinition[], timeoutMs: number) => Promise<HealthResult[]>;
}

export interface StackWatch {
  /** Stops probing; waits for a probe in flight. */
  stop(): Promise<void>;
}

export const WATCH_INTERVAL_MS = 1_000;
export const FAILURES_TO_DOWN = 3;
export const TIMEOUTS_TO_DOWN = 5;
const PROBE_TIMEOUT_MS = 3_000;

interface Streak {
  /** When the first failed probe of the streak started. */
  at: number;
  failures: number;
  /** Whether the last failure was a probe with no answer in time (rather than a refusal or an error). */
  timedOut: boolean;
}

/**
 * Probes every service the phase uses about once a second with its own health probe. When one fails
 * `failuresToDown` probes in a row (or `timeoutsToDown` with no answer in time: a store busy under load is slow, not
 * gone), `onDown` gets the cause: that service (or, when every service failed at once, the whole stack), since when,
 * and the probe's own fix. A service that refused leads one that was only slow.
 */
export function watchStack(options: StackWatchOptions): StackWatch {
  const intervalMs = options.intervalMs ?? WATCH_INTERVAL_MS;
  const failuresToDown = options.failuresToDown ?? FAILURES_TO_DOWN;
  const timeoutsToDown = options.timeoutsToDown ?? TIMEOUTS_TO_DOWN;
  const probeTimeoutMs = options.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
  const probe = options.probe ?? ((services, timeoutMs) => checkHealth(options.stack, [...services], { timeoutMs }));
  const streaks = new Map<ServiceName, Streak>();
  const isDown = (streak: Streak | undefined): streak is Streak => !!streak && streak.failures >= (streak.timedOut ? timeoutsToDown : failuresToDown);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const round = async (): Promise<void> => {
    const at = options.now();
    const results = await probe(options.services, probeTimeoutMs);
    if (stopped) return;
    for (const result of results) {
      const known = streaks.get(result.service);
      if (result.ok) streaks.delete(result.service);
      else streaks.set(result.service, { at: known?.at ?? at, failures: (known?.failures ?? 0) + 1, timedOut: result.latencyMs >= probeTimeoutMs });
    }
    const rank = (result: HealthResult): [number, number] => {
      const streak = streaks.get(result.service);
      return [streak?.timedOut ? 1 : 0, streak?.at ?? 0];
    };
    const down = results
      .filter((result) => !result.ok && isDown(streaks.get(result.service)))
      .sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1]);
    if (down.length === 0) {
      timer = setTimeout(() => (inFlight = round()), intervalMs);
      return;
    }
    stopped = true;
    const refused = down.filter((result) => !streaks.get(result.service)?.timedOut).length;
    options.onDown(causeOf(down, refused, results.length, options.startedAt, (service) => streaks.get(service)?.at ?? at));
  };
  timer = setTimeout(() => (inFlight = round()), intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/**
 * One service gone is that store; several refusing at once are the stack going down (`apex down`, a host that went
 * away). `down` leads with the services that refused.
 */
function causeOf(down: HealthResult[], refused: number, watched: number, startedAt: number, since: (service: ServiceName) => number): InterruptionCause {
  const [first] = down;
  const atMs = Math.max(0, since(first.service) - startedAt);
  const lines = down.map((result) => `${result.service}: ${result.error ?? 'no answer'}`);
  const evidence = { source: 'store' as const, summary: '', lines, workflows: 0 };
  if (refused > 1) {
    const all = down.length === watched ? 'every service of the phase' : `${down.length} of the phase's ${watched} services`;
    return {
      reason: 'stack-down',
      atMs,
      evidence: { ...evidence, summary: `${all} stopped answering: ${down.map((result) => result.service).join(', ')}` },
      fix: 'The stack was stopped (`apex down`) or its host went away: `apex up`, then `apex status`, then re-run the phase.',
    };
  }
  return {
    reason: 'store-unreachable',
    store: first.service,
    atMs,
    evidence: { ...evidence, summary: `${first.service} stopped answering the health probe` },
    fix: `${first.fix ?? `Restart ${first.service}.`} Then \`apex status\`, and re-run the phase.`,
  };
}
