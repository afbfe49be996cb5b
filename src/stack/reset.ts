import type { LoadOptions } from '../config/load-config.js';
import { loadStack, type StackLoadOptions } from '../config/stack-context.js';
import { ApexError, usageError } from '../errors.js';
import { assertResetTargetsLocal } from '../runtime/external.js';
import { withProjectLock } from '../runtime/project-lock.js';
import { silentProgress, type Progress } from '../ui/progress.js';
import { resolveEndpoint } from '../services/catalog.js';
import type { Diagnosis } from '../services/operations.js';
import { assertProjectSchemaReadable } from '../services/project-schema.js';
import { seedService } from '../services/seeding.js';
import type { ServiceDefinition, ServiceName, StackContext } from '../services/service.js';
import { runOnStore } from '../services/store-operation.js';
import { assertCapable, servicesThatCan, storeTargets } from '../services/store-targets.js';

export interface ResetOptions {
  /** Recreate the containers and volumes (docker runtime), then seed. */
  hard?: boolean;
  /** On the external runtime: reset targets that are not on this machine. */
  force?: boolean;
  /** Skip the confirmation. */
  yes?: boolean;
  /** Asks the person at the terminal; undefined when there is none (then --yes is required). */
  confirm?: (question: string) => Promise<boolean>;
  /** --hard: how the command found its config, for `apex up`; and where it reports progress. */
  loadOptions?: LoadOptions;
  progress?: Progress;
}

/** On failure, the diagnosis: error, fix, and the .env key a server refused. */
export interface ResetResult extends Partial<Diagnosis> {
  service: ServiceName;
  ok: boolean;
  mode: 'soft' | 'hard';
  /** What the reset removed. */
  cleared: string[];
  /** What the seed afterwards put back (or repaired). */
  applied: string[];
  durationMs: number;
}

/** `apex reset`: the chosen stores (default: every store of the stack) back to the freshly seeded state, holding the project's lock. */
export function runReset(
  loadOptions: StackLoadOptions,
  stores: readonly string[] | undefined,
  options: Omit<ResetOptions, 'loadOptions'>,
): Promise<ResetResult[]> {
  // --hard starts the stores again with `apex up` on the same config file.
  const { runtime, ...configOptions } = loadOptions;
  const { stack } = loadStack({ ...configOptions, runtime });
  const progress = options.progress ?? silentProgress;
  return withProjectLock(stack.projectDir, { command: 'apex reset', onWait: (message) => progress.warn(message) }, () =>
    resetStack(stack, storeTargets(stack.config, stores, 'clear'), { ...options, loadOptions: configOptions }),
  );
}

/**
 * Brings every store among the services (others are skipped) back to the freshly seeded state. Soft (default): through each store's
 * own client, in parallel, restarting nothing. A failure is reported per store, never thrown.
 */
export async function resetStack(stack: StackContext, services: ServiceDefinition[], options: ResetOptions = {}): Promise<ResetResult[]> {
  const stores = servicesThatCan(services, 'clear');
  if (stores.length === 0) assertCapable(services, 'clear');
  assertProjectSchemaReadable(stack);
  await assertResetTargetsLocal(stack, stores, options);
  await confirmReset(stack, stores, options);
  if (options.hard) {
    // Loaded only here: the docker runtime is not needed for a soft reset.
    const { hardReset } = await import('./reset-hard.js');
    return hardReset(options.loadOptions ?? { cwd: stack.projectDir }, stack, stores, options.progress ?? silentProgress);
  }
  return Promise.all(stores.map((service) => softReset(stack, service)));
}

async function confirmReset(stack: StackContext, stores: readonly ServiceDefinition[], options: ResetOptions): Promise<void> {
  if (options.yes) return;
  const targets = stores.map((service) => {
    const endpoint = resolveEndpoint(stack.config, service);
    return `${service.name} (${endpoint.host}:${Object.values(endpoint.ports)[0]})`;
  });
  const question = `Delete all data in ${targets.join(', ')}${options.hard ? ', recreating containers and volumes' : ''}?`;
  if (!options.confirm) {
    throw usageError(`\`apex reset\` deletes data and needs confirmation: ${question}`, 'Add --yes to confirm: `apex reset --yes`.');
  }
  if (!(await options.confirm(question))) {
    throw new ApexError('ABORTED', 'Nothing was reset.', 'Run `apex reset` again and answer "y", or add --yes.', 1);
  }
}

async function softReset(stack: StackContext, service: ServiceDefinition): Promise<ResetResult> {
  assertCapable([service], 'clear');
  const started = performance.now();
  const cleared = await runOnStore(stack, service, async (ctx, operations) => (await operations.clear!(ctx)).cleared);
  if (!cleared.ok) return { service: service.name, ok: false, mode: 'soft', cleared: [], applied: [], durationMs: cleared.durationMs, ...cleared.diagnosis };
  const seeded = await seedService(stack, service);
  return {
    service: service.name,
    ok: seeded.ok,
    mode: 'soft',
    cleared: cleared.value,
    applied: seeded.applied,
    durationMs: Math.round(performance.now() - started),
    error: seeded.error,
    fix: seeded.fix,
  };
}
