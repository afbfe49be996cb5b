import type { ServiceDefinition, ServiceName } from '../services/service.js';
import { pollUntil, systemClock, type Clock } from './poll.js';

export interface ServiceHealth {
  ok: boolean;
  /** What the last probe saw: the health-check output, a probe error, "exited with code 55". */
  detail: string;
  /** The container is gone or exited: waiting longer cannot help. */
  fatal?: boolean;
  /** The server refused apex's credentials: the .env key, and how to fix it. */
  rejected?: { key: string; fix: string };
}

export type HealthProbe = (service: ServiceDefinition) => Promise<ServiceHealth>;

export interface WaitOptions {
  clock?: Clock;
  intervalMs?: number;
  /** Seconds each service gets, counted from the start of the wait. */
  timeoutSeconds: (service: ServiceDefinition) => number;
  onHealthy?: (service: ServiceDefinition, afterMs: number) => void;
  /** How long refusals must go on, with no success between, before they end a service's wait. */
  rejectionGraceMs?: number;
}

/**
 * A server that applies its password while it starts (apex's local Neo4j stand-in does, on every start) refuses the
 * new one for a moment; a server whose data keeps the old one refuses it for good.
 */
const REJECTION_GRACE_MS = 3_000;

export interface WaitOutcome {
  healthy: ServiceName[];
  unhealthy: { service: ServiceDefinition; last: ServiceHealth; fatal: boolean }[];
}

/**
 * Probes every service until each is healthy, out of time, or refusing apex's credentials for longer than the grace.
 * Each service is polled on its own, so a slow probe (a server that accepts but does not answer yet) never holds back
 * the answer for a fast one.
 */
export async function waitUntilHealthy(services: readonly ServiceDefinition[], probe: HealthProbe, options: WaitOptions): Promise<WaitOutcome> {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 1_000;
  const rejectionGraceMs = options.rejectionGraceMs ?? REJECTION_GRACE_MS;
  const started = clock.now();
  const outcome: WaitOutcome = { healthy: [], unhealthy: [] };
  await Promise.all(
    services.map(async (service) => {
      let last: ServiceHealth = { ok: false, detail: 'not probed' };
      let rejectedSince: number | undefined;
      let refused = false;
      const settled = await pollUntil(
        async () => {
          last = await safeProbe(probe, service);
          const now = clock.now();
          rejectedSince = last.rejected ? (rejectedSince ?? now) : undefined;
          refused = rejectedSince !== undefined && now - rejectedSince >= rejectionGraceMs;
          return last.ok || last.fatal || refused ? last : undefined;
        },
        { clock, intervalMs, timeoutMs: options.timeoutSeconds(service) * 1_000 },
      );
      if (settled?.ok) {
        outcome.healthy.push(service.name);
        options.onHealthy?.(service, clock.now() - started);
      } else {
        outcome.unhealthy.push({ service, last, fatal: Boolean(last.fatal) || refused });
      }
    }),
  );
  return outcome;
}

async function safeProbe(probe: HealthProbe, service: ServiceDefinition): Promise<ServiceHealth> {
  try {
    return await probe(service);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
