import { existsSync } from 'node:fs';
import { missingGeneratedEnv } from '../config/credentials.js';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { loadStack } from '../config/stack-context.js';
import { ApexError, errorMessage } from '../errors.js';
import type { ApexConfig } from '../config/schema.js';
import { publishedPorts } from '../runtime/docker/container-plan.js';
import { DockerStack } from '../runtime/docker/docker-stack.js';
import type { ContainerDetails } from '../runtime/docker/engine-client.js';
import { connectDocker } from '../runtime/docker/engine.js';
import { LABELS } from '../runtime/labels.js';
import { SERVICES, selectServices } from '../services/catalog.js';
import { checkHealth, type HealthResult } from '../services/health.js';
import type { ServiceDefinition, ServiceName } from '../services/service.js';

export type ContainerState = 'running' | 'exited' | 'created' | 'restarting' | 'paused' | 'dead' | 'missing' | 'external';

export interface ServiceStatus {
  service: ServiceName;
  state: ContainerState;
  /** Docker's own health check: healthy, unhealthy, starting, or none when the image has none. */
  containerHealth: 'healthy' | 'unhealthy' | 'starting' | 'none';
  ports: { name: string; host: number; container: number; bindAddress: string }[];
  uptimeSeconds?: number;
  image?: string;
  containerId?: string;
  /** apex's real-client probe; absent when the service is not running. */
  probe?: HealthResult;
}

export interface StatusResult {
  apiVersion: 1;
  project: string;
  runtime: 'docker' | 'external';
  healthy: boolean;
  services: ServiceStatus[];
}

/** The configured services (core + profiles) and any other container of the project, each with state and health. */
export async function runStatus(loadOptions: LoadOptions, now: () => number = Date.now): Promise<StatusResult> {
  await refuseWhenNeverStarted(loadOptions);
  const { config, stack } = loadStack(loadOptions);
  const configured = selectServices(config);
  if (config.runtime === 'external') {
    const probes = await checkHealth(stack, configured, { timeoutMs: 1_500 });
    const services = probes.map((probe): ServiceStatus => ({
      service: probe.service,
      state: 'external',
      containerHealth: 'none',
      ports: publishedPorts(
        config,
        SERVICES.find((service) => service.name === probe.service)!,
      ),
      probe,
    }));
    return { apiVersion: 1, project: config.project, runtime: 'external', healthy: probes.every((probe) => probe.ok), services };
  }
  const engine = await connectDocker();
  const containers = await new DockerStack(engine.client, config.project).containers();
  const shown = SERVICES.filter((service) => configured.includes(service) || containers.has(service.name));
  const inspected = await Promise.all(
    shown.map(async (service) => {
      const info = containers.get(service.name);
      return { service, inspect: info ? await engine.client.containers.inspect(info.id) : undefined };
    }),
  );
  const running = inspected.filter((entry) => entry.inspect?.running).map((entry) => entry.service);
  const probes = new Map((await checkHealth(stack, running, { timeoutMs: 1_500 })).map((probe) => [probe.service, probe]));
  const services = inspected.map(({ service, inspect }) => describe(service, inspect, probes.get(service.name), config, now()));
  const healthy = services.every((status) => status.state === 'running' && status.containerHealth !== 'unhealthy' && status.probe?.ok);
  return { apiVersion: 1, project: config.project, runtime: 'docker', healthy, services };
}

/**
 * On the docker runtime `apex up` writes the passwords to .env before it creates a container, so a folder without
 * .env, without the passwords in the environment and without containers of the project has no stack to show.
 * That is a failure of `status` (exit 1, as for any stack that is not there), not a config mistake.
 */
async function refuseWhenNeverStarted(loadOptions: LoadOptions): Promise<void> {
  const { config, env, envFile, projectDir } = loadConfig(loadOptions);
  if (config.runtime !== 'docker' || existsSync(envFile) || Object.keys(missingGeneratedEnv(env)).length === 0) return;
  let containers: string;
  try {
    const engine = await connectDocker();
    const found = await new DockerStack(engine.client, config.project).containers();
    if (found.size > 0) return;
    containers = `Docker shows no container of project "${config.project}"`;
  } catch (error) {
    containers = `Docker could not be asked for its containers (${errorMessage(error)})`;
  }
  throw new ApexError(
    'STACK_NOT_STARTED',
    `No apex stack was started in ${projectDir}: there is no ${envFile}, and ${containers}.`,
    `Run \`apex up\` here to start one${loadOptions.configFile ? '' : ', or run `apex status` in the folder you started it from (or pass its --config)'}.`,
  );
}

function describe(
  service: ServiceDefinition,
  inspect: ContainerDetails | undefined,
  probe: HealthResult | undefined,
  config: ApexConfig,
  now: number,
): ServiceStatus {
  const ports = publishedPorts(config, service);
  if (!inspect) return { service: service.name, state: 'missing', containerHealth: 'none', ports };
  const state = inspect.status as ContainerState;
  return {
    service: service.name,
    state,
    containerHealth: (inspect.health?.status as ServiceStatus['containerHealth'] | undefined) ?? 'none',
    ports: actualPorts(inspect) ?? ports,
    uptimeSeconds: inspect.running ? Math.max(0, Math.round((now - Date.parse(inspect.startedAt)) / 1000)) : undefined,
    image: inspect.image,
    containerId: inspect.id.slice(0, 12),
    probe,
  };
}

/** Ports as the container was really created with (config may have changed since). */
function actualPorts(inspect: ContainerDetails): ServiceStatus['ports'] | undefined {
  const bindings = inspect.portBindings;
  if (!bindings) return undefined;
  const names = Object.fromEntries(
    (SERVICES.find((service) => service.name === inspect.labels[LABELS.composeService])?.ports ?? []).map((port) => [port.container, port.name]),
  );
  return Object.entries(bindings).flatMap(([key, list]) =>
    list.map((binding) => {
      const container = Number(key.split('/')[0]);
      return { name: names[container] ?? String(container), host: Number(binding.hostPort), container, bindAddress: binding.hostIp || '0.0.0.0' };
    }),
  );
}
