import type { ServiceDefinition, ServiceName } from '../services/service.js';
import { systemClock, type Clock } from './poll.js';

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
export const REJECTION_GRACE_MS = 3_000;

export interface WaitOutcome {
  healthy: ServiceName[];
  unhealthy: { service: ServiceDefinition; last: ServiceHealth; fatal: boolean }[];
}

/**
 * Probes every service until each is healthy or out of time; each round retries only the ones still unhealthy,
 * so a slow service never holds back the answer for a fast one.
 */
export async function waitUntilHealthy(
  services: readonly ServiceDefinition[],
  probe: HealthProbe,
  options: WaitOptions,
): Promise<WaitOutcome> {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 1_000;
  const rejectionGraceMs = options.rejectionGraceMs ?? REJECTION_GRACE_MS;
  const started = clock.now();
  const rejectedSince = new Map<ServiceName, number>();
  const deadline = new Map(services.map((service) => [service.name, started + options.timeoutSeconds(service) * 1_000]));
  let pending = [...services];
  const outcome: WaitOutcome = { healthy: [], unhealthy: [] };
  while (pending.length > 0) {
    const results = await Promise.all(pending.map(async (service) => ({ service, health: await safeProbe(probe, service) })));
    const now = clock.now();
    pending = [];
    for (const { service, health } of results) {
      if (health.rejected) rejectedSince.set(service.name, rejectedSince.get(service.name) ?? now);
      else rejectedSince.delete(service.name);
      const refused = health.rejected !== undefined && now - rejectedSince.get(service.name)! >= rejectionGraceMs;
      if (health.ok) {
        outcome.healthy.push(service.name);
        options.onHealthy?.(service, now - started);
      } else if (health.fatal || refused || now >= (deadline.get(service.name) ?? now)) {
        outcome.unhealthy.push({ service, last: health, fatal: Boolean(health.fatal) || refused });
      } else {
        pending.push(service);
      }
    }
    if (pending.length > 0) await clock.sleep(intervalMs);
  }
  return outcome;
}

async function safeProbe(probe: HealthProbe, service: ServiceDefinition): Promise<ServiceHealth> {
  try {
    return await probe(service);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
