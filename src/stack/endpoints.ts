import type { CredentialName, Credentials } from '../config/credentials.js';
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

/** Which .env values log in to which service; `secret` ones are masked. */
const SERVICE_CREDENTIALS: Partial<Record<ServiceName, { label: string; name: CredentialName; secret: boolean }[]>> = {
  postgres: [
    { label: 'user', name: 'postgresUser', secret: false },
    { label: 'password', name: 'postgresPassword', secret: true },
    { label: 'database', name: 'postgresDb', secret: false },
  ],
  neo4j: [
    { label: 'user', name: 'neo4jUser', secret: false },
    { label: 'password', name: 'neo4jPassword', secret: true },
  ],
  redis: [{ label: 'password', name: 'redisPassword', secret: true }],
  s3: [
    { label: 'access key', name: 'awsAccessKeyId', secret: false },
    { label: 'secret key', name: 'awsSecretAccessKey', secret: true },
  ],
  grafana: [{ label: 'password (user admin)', name: 'grafanaPassword', secret: true }],
  qdrant: [{ label: 'api key', name: 'qdrantApiKey', secret: true }],
};

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
  for (const entry of SERVICE_CREDENTIALS[service] ?? []) {
    const value = credentials[entry.name];
    if (value) shown[entry.label] = entry.secret ? maskSecret(value, showSecrets) : value;
  }
  return shown;
}
