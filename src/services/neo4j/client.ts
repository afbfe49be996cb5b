import type { Driver } from 'neo4j-driver';
import { neo4j } from '../../vendor/neo4j-client.js';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

export function createNeo4jDriver(endpoint: ServiceEndpoint, credentials: Credentials): Driver {
  const scheme = endpoint.tls?.enabled ? 'bolt+s' : 'bolt';
  return neo4j.driver(`${scheme}://${endpoint.host}:${endpoint.ports.bolt}`, neo4j.auth.basic(credentials.neo4jUser, credentials.neo4jPassword), {
    connectionTimeout: 5_000,
    maxConnectionPoolSize: 50,
    disableLosslessIntegers: true,
    logging: { level: 'error', logger: () => undefined },
  });
}
