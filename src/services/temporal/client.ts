import { readFileSync } from 'node:fs';
import { Client, Connection } from '../../vendor/temporal-client.js';
import type { ServiceEndpoint } from '../service.js';

export const temporalAddress = (endpoint: ServiceEndpoint): string => `${endpoint.host}:${endpoint.ports.grpc}`;

export async function connectTemporal(endpoint: ServiceEndpoint, connectTimeoutMs = 5_000): Promise<Connection> {
  const tls = endpoint.tls?.enabled ? endpoint.tls : undefined;
  return Connection.connect({
    address: temporalAddress(endpoint),
    connectTimeout: connectTimeoutMs,
    tls: tls
      ? {
          serverNameOverride: tls.serverName,
          serverRootCACertificate: tls.caFile ? readFileSync(tls.caFile) : undefined,
          clientCertPair:
            tls.certFile && tls.keyFile ? { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } : undefined,
        }
      : undefined,
  });
}

export const createTemporalClient = (connection: Connection, namespace: string): Client =>
  new Client({ connection, namespace });
