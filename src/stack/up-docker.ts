import type { LoadedStack } from '../config/stack-context.js';
import { assertPreflight, quickChecks } from '../doctor/doctor.js';
import { planContainer, type ContainerPlan } from '../runtime/docker/container-plan.js';
import { DockerStack, type ContainerChange } from '../runtime/docker/docker-stack.js';
import { connectDocker } from '../runtime/docker/engine.js';
import { ensureImage } from '../runtime/docker/images.js';
import { unusableVolumes } from '../runtime/docker/volume-check.js';
import { LABELS } from '../runtime/labels.js';
import { waitUntilHealthy } from '../runtime/wait-healthy.js';
import { dependencyWaves } from '../services/catalog.js';
import type { ServiceDefinition, ServiceName } from '../services/service.js';
import { dockerHealthProbe } from './docker-health.js';
import type { StartOutcome, UpDependencies, UpOptions } from './up.js';
import { rejectedError, unhealthyError, unusableVolumesError } from './up-errors.js';

/**
 * The docker runtime: nothing to do when every container is current and healthy; else preflight, pull, check the
 * data volumes, write .env, then create or update the containers wave by wave, each wave healthy before the next.
 */
export async function upDocker(
  loaded: LoadedStack,
  services: ServiceDefinition[],
  options: UpOptions,
  deps: UpDependencies,
  commitEnvFile: () => void,
): Promise<StartOutcome> {
  const { progress } = deps;
  const engine = deps.engine ?? (await connectDocker(deps.env));
  const stack = new DockerStack(engine.client, loaded.config.project);
  const plans = new Map(services.map((service) => [service.name, planContainer(loaded.stack, service)]));
  const existing = await stack.containers();
  // A container created for this very plan owns its ports, even while the engine is still starting it (an up
  // interrupted by Ctrl-C leaves that behind): the preflight checks only the containers that are still to be created.
  const created = (plan: ContainerPlan): boolean => existing.get(plan.service.name)?.labels[LABELS.configHash] === plan.configHash;
  const current = (plan: ContainerPlan): boolean => created(plan) && existing.get(plan.service.name)?.state === 'running';
  const probe = dockerHealthProbe(engine.client.containers, loaded.stack);

  if ([...plans.values()].every(current)) {
    const health = await Promise.all(services.map(async (service) => ({ service, health: await probe(service).catch(() => ({ ok: false })) })));
    if (health.every((entry) => entry.health.ok)) {
      commitEnvFile();
      progress.done(`${loaded.config.project}: ${services.length} services already up and healthy; nothing changed`);
      return {
        unchanged: true,
        services: services.map((service) => ({ service: service.name, change: 'unchanged', image: plans.get(service.name)?.image, healthy: true })),
      };
    }
  }

  assertPreflight(
    await quickChecks(
      loaded.config,
      services.filter((service) => !created(plans.get(service.name)!)),
      engine,
    ),
  );
  for (const plan of plans.values()) await ensureImage(engine.client.images, plan.image, plan.service.name, progress);
  // A container about to start on a volume whose data its image cannot use would only exit with one log line.
  const toStart = [...plans.values()].filter((plan) => !current(plan));
  const unusable = (await Promise.all(toStart.map((plan) => unusableVolumes(engine.client, plan)))).flat();
  if (unusable.length > 0) throw unusableVolumesError(loaded, unusable);
  commitEnvFile();
  await stack.ensureNetwork();

  const changes = new Map<ServiceName, ContainerChange>();
  const timeoutSeconds = (service: ServiceDefinition): number =>
    options.timeoutSeconds ?? loaded.config.services[service.name]?.healthTimeoutSeconds ?? service.healthTimeoutSeconds;
  for (const wave of dependencyWaves(services)) {
    await Promise.all(
      wave.map(async (service) => {
        const plan = plans.get(service.name)!;
        const change = await stack.realise(plan, existing.get(service.name));
        changes.set(service.name, change);
        if (change !== 'unchanged') progress.step(`${service.name}: ${change} ${plan.name} (${plan.image})`);
      }),
    );
    progress.step(`Waiting for ${wave.map((service) => service.name).join(', ')} to be healthy`);
    const outcome = await waitUntilHealthy(wave, probe, {
      clock: deps.clock,
      timeoutSeconds,
      onHealthy: (service, afterMs) => progress.done(`${service.name} healthy (${(afterMs / 1000).toFixed(1)} s)`),
    });
    if (outcome.unhealthy.length > 0) throw rejectedError(loaded, outcome) ?? (await unhealthyError(stack, loaded, outcome, timeoutSeconds));
  }
  return {
    unchanged: [...changes.values()].every((change) => change === 'unchanged'),
    services: services.map((service) => ({
      service: service.name,
      change: changes.get(service.name) ?? 'unchanged',
      image: plans.get(service.name)?.image,
      healthy: true,
    })),
  };
}
