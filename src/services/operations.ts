import { resolveEndpoint } from './catalog.js';
import type { ServiceDefinition, ServiceEndpoint, StackContext } from './service.js';

/** One service's endpoint and the stack around it: what every per-store operation is given. */
export interface StoreContext {
  stack: StackContext;
  service: ServiceDefinition;
  endpoint: ServiceEndpoint;
  /** Aborted when the caller gives up (a health check's timeout): close the client and return. */
  signal: AbortSignal;
}

export interface ProbeReport {
  version?: string;
  /** One line on what was checked, e.g. "namespace apex registered". */
  detail?: string;
  /** What answered instead of the real server, as it names itself (a test stand-in). */
  standIn?: string;
}

/** What seed changed, and what it found already in place. */
export interface SeedReport {
  applied: string[];
  unchanged: string[];
}

/** What a soft reset removed, before seed restores the freshly seeded state. */
export interface ClearReport {
  cleared: string[];
}

/** A failure as a person reads it: what happened, and the exact step that fixes it. */
export interface Diagnosis {
  error: string;
  fix: string;
  /** The .env key whose value the server refused: retrying with the same value cannot help. */
  rejectedKey?: string;
  /** A stable code for the failure when it has its own (TEMPORAL_AUTH), as the command's error code. */
  code?: string;
}

/** What a store can have done to it beyond a health check. */
export type StoreCapability = 'seed' | 'clear';

/** Everything apex does to one store through its own client. A new store implements this in its folder. */
export interface StoreOperations {
  /** Health with the real client; throws when the service is not usable. */
  probe(ctx: StoreContext): Promise<ProbeReport>;
  /** Recognises this service's own failures (a wrong password) before the generic network ones. */
  diagnose?(error: unknown, ctx: StoreContext): Diagnosis | undefined;
  /** Idempotent: a second run changes nothing. */
  seed?(ctx: StoreContext): Promise<SeedReport>;
  /** Soft reset: removes the data, keeps what records the schema; seed then runs again. */
  clear?(ctx: StoreContext): Promise<ClearReport>;
}

export function storeContext(stack: StackContext, service: ServiceDefinition, signal: AbortSignal): StoreContext {
  return { stack, service, endpoint: resolveEndpoint(stack.config, service), signal };
}

/** Runs `close` once when the operation ends or is aborted, whichever comes first. */
export async function withResource<R, T>(
  signal: AbortSignal,
  open: () => R | Promise<R>,
  close: (resource: R) => unknown,
  use: (resource: R) => Promise<T>,
): Promise<T> {
  const resource = await open();
  if (signal.aborted) {
    await Promise.resolve(close(resource)).catch(() => undefined);
    throw signal.reason;
  }
  let closing: Promise<void> | undefined;
  const closeOnce = (): Promise<void> =>
    (closing ??= Promise.resolve()
      .then(() => close(resource))
      .then(
        () => undefined,
        () => undefined,
      ));
  const onAbort = (): void => void closeOnce();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await use(resource);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await closeOnce();
  }
}
