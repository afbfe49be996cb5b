import type { ApexConfig } from '../config/schema.js';
import { usageError } from '../errors.js';
import { SERVICES, selectServices, serviceByName } from './catalog.js';
import type { StoreCapability } from './operations.js';
import type { ServiceDefinition } from './service.js';

const WHAT: Record<StoreCapability, string> = { seed: 'nothing to seed', clear: 'no data to reset' };

export const servicesThatCan = (services: readonly ServiceDefinition[], capability: StoreCapability): ServiceDefinition[] =>
  services.filter((service) => service.operations.capabilities.includes(capability));

/** Refuses services that cannot do it, naming the ones that can. */
export function assertCapable(services: readonly ServiceDefinition[], capability: StoreCapability): void {
  const unable = services.filter((service) => !service.operations.capabilities.includes(capability));
  if (unable.length === 0) return;
  throw usageError(
    `${unable.map((service) => service.name).join(', ')} ${unable.length > 1 ? 'have' : 'has'} ${WHAT[capability]}.`,
    `Choose among: ${servicesThatCan(SERVICES, capability)
      .map((service) => service.name)
      .join(', ')}.`,
  );
}

/**
 * The stores a command acts on: the ones named on the command line (each must be able to), or every store of the
 * stack (core plus the enabled profiles).
 */
export function storeTargets(config: ApexConfig, named: readonly string[] | undefined, capability: StoreCapability): ServiceDefinition[] {
  if (!named || named.length === 0) return servicesThatCan(selectServices(config), capability);
  const services = [...new Set(named)].map(serviceByName);
  assertCapable(services, capability);
  return services;
}
