import type { Diagnosis } from './operations.js';
import type { ServiceDefinition, ServiceName, StackContext } from './service.js';
import { runOnStore } from './store-operation.js';

/** On failure, the diagnosis: error, fix, and the .env key a server refused. */
export interface HealthResult extends Partial<Diagnosis> {
  service: ServiceName;
  ok: boolean;
  latencyMs: number;
  version?: string;
  detail?: string;
  standIn?: string;
}

export interface HealthOptions {
  /** Per service; a check still running then is reported failed. */
  timeoutMs?: number;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 3_000;

/** Each service checked with its real client, all in parallel, each with its own timeout. */
export function checkHealth(stack: StackContext, services: ServiceDefinition[], options: HealthOptions = {}): Promise<HealthResult[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  return Promise.all(services.map((service) => checkService(stack, service, timeoutMs)));
}

async function checkService(stack: StackContext, service: ServiceDefinition, timeoutMs: number): Promise<HealthResult> {
  const outcome = await runOnStore(stack, service, (ctx, operations) => operations.probe(ctx), timeoutMs);
  const result = { service: service.name, ok: outcome.ok, latencyMs: outcome.durationMs };
  return outcome.ok ? { ...result, ...outcome.value } : { ...result, ...outcome.diagnosis };
}
