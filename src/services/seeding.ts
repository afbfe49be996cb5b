import { ApexError } from '../errors.js';
import { sharedFailureCode } from './failure.js';
import type { Diagnosis } from './operations.js';
import { assertProjectSchemaReadable } from './project-schema.js';
import type { ServiceDefinition, ServiceName, StackContext } from './service.js';
import { runOnStore } from './store-operation.js';
import { assertCapable, servicesThatCan } from './store-targets.js';

/** On failure, the diagnosis: error, fix, and the .env key a server refused. */
export interface SeedResult extends Partial<Diagnosis> {
  service: ServiceName;
  ok: boolean;
  /** What this run changed, e.g. "migration 002_add_summary". Empty on a second run. */
  applied: string[];
  /** What was already in place. */
  unchanged: string[];
  durationMs: number;
}

/**
 * Seeds every store among the services (others are skipped), in parallel; a failure is reported per store, never
 * thrown. A mistake in the project's schema files is thrown first (exit 2), before any store is touched.
 */
export function seedStack(stack: StackContext, services: ServiceDefinition[]): Promise<SeedResult[]> {
  assertProjectSchemaReadable(stack);
  return Promise.all(servicesThatCan(services, 'seed').map((service) => seedService(stack, service)));
}

export async function seedService(stack: StackContext, service: ServiceDefinition): Promise<SeedResult> {
  assertCapable([service], 'seed');
  const outcome = await runOnStore(stack, service, (ctx, operations) => operations.seed!(ctx));
  if (outcome.ok) return { service: service.name, ok: true, ...outcome.value, durationMs: outcome.durationMs };
  return { service: service.name, ok: false, applied: [], unchanged: [], durationMs: outcome.durationMs, ...outcome.diagnosis };
}

/** One error for every failed store, for a command to exit with: each store's error, then each fix. */
export function assertAllSucceeded(
  results: readonly { service: ServiceName; ok: boolean; error?: string; fix?: string; code?: string }[],
  code: string,
  what: string,
): void {
  const failed = results.filter((result) => !result.ok);
  if (failed.length === 0) return;
  throw new ApexError(
    sharedFailureCode(failed, code),
    `${what} failed for ${failed.map((result) => result.service).join(', ')}.`,
    failed.map((result) => `${result.service}: ${result.fix ?? 'see the error above'}`).join('\n'),
    1,
    failed.map((result) => result.error ?? `${result.service} failed`),
  );
}
