import type { CredentialName, Credentials } from '../config/credentials.js';
import { SERVICE_SPECS, type CredentialSpec } from '../config/service-specs.js';
import { resolveEndpoint } from '../services/catalog.js';
import type { PortSpec, ServiceDefinition, ServiceName, StackContext } from '../services/service.js';
import { maskSecret } from '../ui/mask.js';

export interface EndpointInfo {
  service: ServiceName;
  /** Every published port as a URL (or host:port where there is no URL scheme). */
  urls: { name: string; url: string; ui: boolean }[];
  /** Login details, secrets masked unless asked for. */
  credentials: Record<string, string>;
}

function urlFor(port: PortSpec, host: string, hostPort: number, credentials: Credentials): string {
  switch (port.scheme) {
    case 'postgresql':
      // A connection string psql accepts as is; the password stays out of it.
      return `postgresql://${credentials.postgresUser}@${host}:${hostPort}/${credentials.postgresDb}`;
    case 'http':
    case 'redis':
    case 'bolt':
      return `${port.scheme}://${host}:${hostPort}`;
    default:
      return `${host}:${hostPort}`;
  }
}

export function serviceEndpoints(ctx: StackContext, services: readonly ServiceDefinition[], showSecrets: boolean): EndpointInfo[] {
  return services.map((service) => {
    const endpoint = resolveEndpoint(ctx.config, service);
    const credentials = credentialsFor(service.name, ctx.credentials, showSecrets);
    return {
      service: service.name,
      urls: service.ports.map((port) => ({
        name: port.name,
        url: urlFor(port, endpoint.host, endpoint.ports[port.name], ctx.credentials),
        ui: Boolean(port.ui),
      })),
      credentials,
    };
  });
}

function credentialsFor(service: ServiceName, credentials: Credentials, showSecrets: boolean): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, spec] of Object.entries(SERVICE_SPECS[service].credentials) as [CredentialName, CredentialSpec][]) {
    const value = credentials[name];
    if (spec.label && value) shown[spec.label] = spec.generated || spec.secret || spec.masked ? maskSecret(value, showSecrets) : value;
  }
  return shown;
}
