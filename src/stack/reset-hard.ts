import type { LoadOptions } from '../config/load-config.js';
import { usageError } from '../errors.js';
import { planContainer } from '../runtime/docker/container-plan.js';
import { DockerStack } from '../runtime/docker/docker-stack.js';
import { connectDocker } from '../runtime/docker/engine.js';
import type { ResetResult } from './reset.js';
import type { ServiceDefinition, StackContext } from '../services/service.js';
import type { Progress } from '../ui/progress.js';
import { runUp } from './up.js';

/** 404 from the engine: already gone, which is what a removal wants. */
const ignoreMissing = (error: unknown): void => {
  if ((error as { statusCode?: number }).statusCode !== 404) throw error;
};

/**
 * `apex reset --hard`: removes the stores' containers and their volumes, then `apex up` for them, which recreates
 * both, waits until they are healthy and seeds them.
 */
export async function hardReset(
  loadOptions: LoadOptions,
  stack: StackContext,
  stores: readonly ServiceDefinition[],
  progress: Progress,
): Promise<ResetResult[]> {
  if (stack.config.runtime === 'external') {
    throw usageError(
      '`apex reset --hard` recreates containers and volumes, but runtime is external: apex started nothing.',
      'Use a soft `apex reset` (add --force for a server that is not on this machine).',
    );
  }
  const started = performance.now();
  const engine = await connectDocker();
  const existing = await new DockerStack(engine.client, stack.config.project).containers();
  const cleared = new Map<string, string[]>();
  // Each store's container, then its volumes (a volume in use cannot go); the stores side by side.
  await Promise.all(
    stores.map(async (service) => {
      const plan = planContainer(stack, service);
      const removed: string[] = [];
      const container = existing.get(service.name);
      if (container) {
        await engine.client.containers.remove(container.id, { force: true, volumes: false }).catch(ignoreMissing);
        removed.push(`removed container ${plan.name}`);
      }
      await Promise.all(plan.volumes.map((volume) => engine.client.volumes.remove(volume).catch(ignoreMissing)));
      removed.push(...plan.volumes.map((volume) => `removed volume ${volume}`));
      progress.step(`${service.name}: ${removed.join(', ') || 'nothing to remove'}`);
      cleared.set(service.name, removed);
    }),
  );
  const up = await runUp(loadOptions, { only: stores.map((service) => service.name), runtime: 'docker', showSecrets: false }, { progress });
  const durationMs = Math.round(performance.now() - started);
  return stores.map((service) => ({
    service: service.name,
    ok: true,
    mode: 'hard',
    cleared: cleared.get(service.name) ?? [],
    applied: up.seed.find((seed) => seed.service === service.name)?.applied ?? [],
    durationMs,
  }));
}
