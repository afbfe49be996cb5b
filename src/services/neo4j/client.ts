import neo4jDriver, { type Driver } from 'neo4j-driver';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

export function createNeo4jDriver(endpoint: ServiceEndpoint, credentials: Credentials): Driver {
  const scheme = endpoint.tls?.enabled ? 'bolt+s' : 'bolt';
  return neo4jDriver.driver(
    `${scheme}://${endpoint.host}:${endpoint.ports.bolt}`,
    neo4jDriver.auth.basic(credentials.neo4jUser, credentials.neo4jPassword),
    { connectionTimeout: 5_000, maxConnectionPoolSize: 50, disableLosslessIntegers: true, logging: { level: 'error', logger: () => undefined } },
  );
}
