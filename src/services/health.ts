import { diagnoseFailure } from './failure.js';
import { storeContext, type Diagnosis } from './operations.js';
import { assertReachable } from './reachability.js';
import type { ServiceDefinition, ServiceName, StackContext } from './service.js';

/** On failure, the diagnosis: error, fix, and the .env key a server refused. */
export interface HealthResult extends Partial<Diagnosis> {
  service: ServiceName;
  ok: boolean;
  latencyMs: number;
  version?: string;
  detail?: string;
}

export interface HealthOptions {
  /** Per service; a check still running then is reported failed. */
  timeoutMs?: number;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 3_000;

/** Each service checked with its real client, all in parallel, each with its own timeout. */
export function checkHealth(
  stack: StackContext,
  services: ServiceDefinition[],
  options: HealthOptions = {},
): Promise<HealthResult[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  return Promise.all(services.map((service) => checkService(stack, service, timeoutMs)));
}

class HealthTimeout extends Error {}

async function checkService(stack: StackContext, service: ServiceDefinition, timeoutMs: number): Promise<HealthResult> {
  const operations = await service.operations.load();
  const controller = new AbortController();
  const ctx = storeContext(stack, service, controller.signal);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new HealthTimeout(`no answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const report = await Promise.race([assertReachable(ctx).then(() => operations.probe(ctx)), timeout]);
    return { service: service.name, ok: true, latencyMs: elapsed(started), ...report };
  } catch (error) {
    const latencyMs = elapsed(started);
    if (error instanceof HealthTimeout) {
      return {
        service: service.name,
        ok: false,
        latencyMs,
        error: `${service.name}: ${error.message}`,
        fix:
          stack.config.runtime === 'external'
            ? `Check that the ${service.name} server answers at ${ctx.endpoint.host}:${Object.values(ctx.endpoint.ports)[0]}.`
            : `${service.name} accepts no requests: read \`apex logs ${service.name}\`, or restart it with \`apex up --only ${service.name}\`.`,
      };
    }
    return { service: service.name, ok: false, latencyMs, ...diagnoseFailure(error, ctx, operations) };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

const elapsed = (started: number): number => Math.round(performance.now() - started);
