import { diagnoseFailure } from './failure.js';
import { storeContext, type Diagnosis, type StoreContext, type StoreOperations } from './operations.js';
import { assertReachable } from './reachability.js';
import type { ServiceDefinition, StackContext } from './service.js';

/** What one operation on one store came to: its value, or the diagnosis of its failure; with how long it took. */
export type StoreOutcome<T> = ({ ok: true; value: T } | { ok: false; diagnosis: Diagnosis }) & { durationMs: number };

class StoreTimeout extends Error {}

/**
 * Runs one operation on one store through its own client: a TCP check first (it fails in milliseconds where a client
 * retries for seconds), then the operation; a failure comes back diagnosed, never thrown. With a timeout, a store
 * still working then is given up (its client closed) and reported as not answering.
 */
export async function runOnStore<T>(
  stack: StackContext,
  service: ServiceDefinition,
  use: (ctx: StoreContext, operations: StoreOperations) => Promise<T>,
  timeoutMs?: number,
): Promise<StoreOutcome<T>> {
  const operations = await service.operations.load();
  const controller = new AbortController();
  const ctx = storeContext(stack, service, controller.signal);
  const started = performance.now();
  const durationMs = (): number => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    if (timeoutMs === undefined) return;
    timer = setTimeout(() => {
      const error = new StoreTimeout(`no answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const value = await Promise.race([assertReachable(ctx).then(() => use(ctx, operations)), timeout]);
    return { ok: true, value, durationMs: durationMs() };
  } catch (error) {
    const diagnosis = error instanceof StoreTimeout ? notAnswering(ctx, error) : diagnoseFailure(error, ctx, operations);
    return { ok: false, diagnosis, durationMs: durationMs() };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function notAnswering(ctx: StoreContext, error: StoreTimeout): Diagnosis {
  const name = ctx.service.name;
  return {
    error: `${name}: ${error.message}`,
    fix:
      ctx.stack.config.runtime === 'external'
        ? `Check that the ${name} server answers at ${ctx.endpoint.host}:${Object.values(ctx.endpoint.ports)[0]}.`
        : `${name} accepts no requests: read \`apex logs ${name}\`, or restart it with \`apex up --only ${name}\`.`,
  };
}
