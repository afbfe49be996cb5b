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
  service: ServiceName;
  /** When the first failed probe of the streak started. */
  at: number;
  failures: number;
  /** Whether the last failure was a probe with no answer in time (rather than a refusal or an error). */
  timedOut: boolean;
  last: HealthResult;
}

/**
 * Probes each service the phase uses about once a second with its own health probe, each on its own schedule (a
 * slow one never delays the others). When one fails `failuresToDown` probes in a row (or `timeoutsToDown` with no
 * answer in time: a store busy under load is slow, not gone), `onDown` gets the cause: that service, or the whole
 * stack when others are refusing too, since when, and the probe's own fix.
 */
export function watchStack(options: StackWatchOptions): StackWatch {
  const intervalMs = options.intervalMs ?? WATCH_INTERVAL_MS;
  const failuresToDown = options.failuresToDown ?? FAILURES_TO_DOWN;
  const timeoutsToDown = options.timeoutsToDown ?? TIMEOUTS_TO_DOWN;
  const probeTimeoutMs = options.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
  const probe = options.probe ?? ((services, timeoutMs) => checkHealth(options.stack, [...services], { timeoutMs }));
  const streaks = new Map<ServiceName, Streak>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const schedule = (service: ServiceDefinition): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const probing: Promise<void> = probeOnce(service).finally(() => inFlight.delete(probing));
      inFlight.add(probing);
    }, intervalMs);
    timers.add(timer);
  };

  const probeOnce = async (service: ServiceDefinition): Promise<void> => {
    const at = options.now();
    const [result] = await probe([service], probeTimeoutMs);
    if (stopped) return;
    if (result.ok) {
      streaks.delete(service.name);
      return schedule(service);
    }
    const known = streaks.get(service.name);
    const streak = {
      service: service.name,
      at: known?.at ?? at,
      failures: (known?.failures ?? 0) + 1,
      timedOut: result.latencyMs >= probeTimeoutMs,
      last: result,
    };
    streaks.set(service.name, streak);
    if (streak.failures < (streak.timedOut ? timeoutsToDown : failuresToDown)) return schedule(service);
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    const refusing = [...streaks.values()].filter((other) => other !== streak && !other.timedOut).sort((a, b) => a.at - b.at);
    options.onDown(causeOf([streak, ...refusing], options.services.length, options.startedAt));
  };

  for (const service of options.services) schedule(service);
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(inFlight);
    },
  };
}

/**
 * One service gone is that store; several refusing at once are the stack going down (`apex down`, a host that went
 * away). `down` leads with the service that went down first.
 */
function causeOf(down: Streak[], watched: number, startedAt: number): InterruptionCause {
  const [first] = down;
  const atMs = Math.max(0, Math.min(...down.map((streak) => streak.at)) - startedAt);
  const names = down.map((streak) => streak.service);
  const evidence = {
    source: 'store' as const,
    summary: '',
    lines: down.map((streak) => `${streak.service}: ${streak.last.error ?? 'no answer'}`),
    workflows: 0,
  };
  if (down.length > 1) {
    const all = down.length === watched ? 'every service of the phase' : `${down.length} of the phase's ${watched} services`;
    return {
      reason: 'stack-down',
      atMs,
      evidence: { ...evidence, summary: `${all} stopped answering: ${names.join(', ')}` },
      fix: 'The stack was stopped (`apex down`) or its host went away: `apex up`, then `apex status`, then re-run the phase.',
    };
  }
  return {
    reason: 'store-unreachable',
    store: first.service,
    atMs,
    evidence: { ...evidence, summary: `${first.service} stopped answering the health probe` },
    fix: `${first.last.fix ?? `Restart ${first.service}.`} Then \`apex status\`, and re-run the phase.`,
  };
}
