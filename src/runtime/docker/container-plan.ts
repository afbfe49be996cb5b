import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { ApexConfig } from '../../config/schema.js';
import { resolveEndpoint } from '../../services/catalog.js';
import type { ContainerSpec, ServiceDefinition, StackContext } from '../../services/service.js';
import { containerName, LABELS, MANAGED_BY, networkName, volumeName } from '../labels.js';

export interface PublishedPort {
  name: string;
  container: number;
  host: number;
  bindAddress: string;
}

/** Everything needed to create one service's container, and the hash that says whether an existing one still fits. */
export interface ContainerPlan {
  service: ServiceDefinition;
  name: string;
  image: string;
  ports: PublishedPort[];
  volumes: string[];
  /** The named volumes whose definition says how to check the data already in them (see VolumeMount.check). */
  volumeChecks: { volume: string; target: string; script: string }[];
  configHash: string;
  createOptions: Docker.ContainerCreateOptions;
}

export function publishedPorts(config: ApexConfig, service: ServiceDefinition): PublishedPort[] {
  const hostPorts = resolveEndpoint(config, service).ports;
  return service.ports.map((port) => ({
    name: port.name,
    container: port.container,
    host: hostPorts[port.name],
    bindAddress: config.bindAddress,
  }));
}

const seconds = (value: number): number => value * 1_000_000_000;

export function planContainer(ctx: StackContext, service: ServiceDefinition): ContainerPlan {
  const project = ctx.config.project;
  const spec: ContainerSpec = service.container(ctx);
  const ports = publishedPorts(ctx.config, service);
  const definition = {
    Image: spec.image,
    Entrypoint: spec.entrypoint,
    Cmd: spec.command,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: Object.fromEntries(ports.map((port) => [`${port.container}/tcp`, {}])),
    Healthcheck: spec.healthcheck && {
      Test: spec.healthcheck.test,
      Interval: seconds(spec.healthcheck.intervalSeconds),
      Timeout: seconds(spec.healthcheck.timeoutSeconds),
      Retries: spec.healthcheck.retries,
      StartPeriod: seconds(spec.healthcheck.startPeriodSeconds),
    },
    HostConfig: {
      PortBindings: Object.fromEntries(ports.map((port) => [`${port.container}/tcp`, [{ HostIp: port.bindAddress, HostPort: String(port.host) }]])),
      Binds: [
        ...spec.volumes.map((mount) => `${volumeName(project, mount.volume)}:${mount.target}`),
        ...spec.binds.map((mount) => `${mount.source}:${mount.target}${mount.readOnly ? ':ro' : ''}`),
      ],
      NetworkMode: networkName(project),
      ExtraHosts: spec.extraHosts,
    },
  };
  // The hash covers what the container was created from (secrets included, never shown), so any change recreates it.
  const configHash = createHash('sha256').update(JSON.stringify(definition)).digest('hex');
  const name = containerName(project, service.name);
  return {
    service,
    name,
    image: spec.image,
    ports,
    volumes: spec.volumes.map((mount) => volumeName(project, mount.volume)),
    volumeChecks: spec.volumes.flatMap((mount) =>
      mount.check ? [{ volume: volumeName(project, mount.volume), target: mount.target, script: mount.check }] : [],
    ),
    configHash,
    createOptions: {
      ...definition,
      name,
      Hostname: service.name,
      Labels: {
        [LABELS.composeProject]: project,
        [LABELS.composeService]: service.name,
        [LABELS.composeOneoff]: 'False',
        [LABELS.composeContainerNumber]: '1',
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.configHash]: configHash,
      },
      NetworkingConfig: { EndpointsConfig: { [networkName(project)]: { Aliases: [service.name] } } },
    },
  };
}
