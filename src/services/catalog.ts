import type { ApexConfig } from '../config/schema.js';
import { SERVICE_NAMES, type Profile, type ServiceName } from '../config/service-specs.js';
import { usageError } from '../errors.js';
import { alertmanager } from './alertmanager/definition.js';
import { grafana } from './grafana/definition.js';
import { neo4j } from './neo4j/definition.js';
import { postgres } from './postgres/definition.js';
import { prometheus } from './prometheus/definition.js';
import { qdrant } from './qdrant/definition.js';
import { redis } from './redis/definition.js';
import { s3 } from './s3/definition.js';
import { temporal } from './temporal/definition.js';
import type { ServiceDefinition, ServiceEndpoint } from './service.js';

const DEFINITIONS: Readonly<Record<ServiceName, ServiceDefinition>> = { temporal, postgres, neo4j, qdrant, redis, s3, alertmanager, prometheus, grafana };

/** Every service apex knows, in the order of src/config/service-specs.ts. */
export const SERVICES: readonly ServiceDefinition[] = SERVICE_NAMES.map((name) => DEFINITIONS[name]);

export function serviceByName(name: string): ServiceDefinition {
  const service = SERVICES.find((candidate) => candidate.name === name);
  if (!service) {
    throw usageError(`Unknown service "${name}".`, `Use one of: ${SERVICES.map((known) => known.name).join(', ')}.`);
  }
  return service;
}

export interface Selection {
  /** Comma-separated service names from --only. */
  only?: readonly string[];
  /** Profiles from --profile, added to the config's profiles. */
  profiles?: readonly Profile[];
}

/**
 * The services a command acts on: --only wins (plus what they depend on), otherwise core plus the enabled profiles.
 * Returned in dependency order.
 */
export function selectServices(config: ApexConfig, selection: Selection = {}): ServiceDefinition[] {
  let chosen: ServiceDefinition[];
  if (selection.only && selection.only.length > 0) {
    chosen = selection.only.map(serviceByName);
  } else {
    const profiles = new Set<Profile>(['core', ...config.profiles, ...(selection.profiles ?? [])]);
    chosen = SERVICES.filter((service) => profiles.has(service.profile));
  }
  return dependencyOrder(withDependencies(chosen));
}

function withDependencies(services: readonly ServiceDefinition[]): ServiceDefinition[] {
  const names = new Set<ServiceName>();
  const visit = (service: ServiceDefinition): void => {
    if (names.has(service.name)) return;
    names.add(service.name);
    service.dependsOn.forEach((dependency) => visit(serviceByName(dependency)));
  };
  services.forEach(visit);
  return SERVICES.filter((service) => names.has(service.name));
}

/** Groups services into waves: every service's dependencies are in an earlier wave. */
export function dependencyWaves(services: readonly ServiceDefinition[]): ServiceDefinition[][] {
  const remaining = new Map(services.map((service) => [service.name, service]));
  const done = new Set<ServiceName>();
  const waves: ServiceDefinition[][] = [];
  while (remaining.size > 0) {
    const wave = [...remaining.values()].filter((service) => service.dependsOn.every((dependency) => done.has(dependency) || !remaining.has(dependency)));
    if (wave.length === 0) throw new Error(`dependency cycle among ${[...remaining.keys()].join(', ')}`);
    wave.forEach((service) => {
      remaining.delete(service.name);
      done.add(service.name);
    });
    waves.push(wave);
  }
  return waves;
}

export function dependencyOrder(services: readonly ServiceDefinition[]): ServiceDefinition[] {
  return dependencyWaves(services).flat();
}

/** Where this machine reaches a port apex published on config.bindAddress (a wildcard is reached on loopback). */
export function publishedHost(config: ApexConfig): string {
  return config.bindAddress === '0.0.0.0' || config.bindAddress === '::' ? '127.0.0.1' : config.bindAddress;
}

/** Where a service is reached from this machine, for either runtime. */
export function resolveEndpoint(config: ApexConfig, service: ServiceDefinition): ServiceEndpoint {
  const settings = config.services[service.name];
  const ports: Record<string, number> = {};
  for (const port of service.ports) ports[port.name] = settings?.ports?.[port.name] ?? port.host;
  return {
    service: service.name,
    host: config.runtime === 'external' ? (settings?.host ?? '127.0.0.1') : publishedHost(config),
    ports,
    tls: settings?.tls ? { ...settings.tls } : undefined,
  };
}
