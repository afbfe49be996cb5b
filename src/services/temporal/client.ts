import { readFileSync } from 'node:fs';
import { Client, Connection } from '../../vendor/temporal-client.js';
import type { ServiceEndpoint } from '../service.js';

export const temporalAddress = (endpoint: ServiceEndpoint): string => `${endpoint.host}:${endpoint.ports.grpc}`;

/** What both Temporal connections (the client's grpc-js and the worker's native one) take as `tls`. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** `services.temporal.tls` as a Temporal connection takes it: the CA and the client certificate read from their files. */
export function temporalTls(endpoint: ServiceEndpoint): TemporalTls | undefined {
  const tls = endpoint.tls?.enabled ? endpoint.tls : undefined;
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caFile ? readFileSync(tls.caFile) : undefined,
    clientCertPair: tls.certFile && tls.keyFile ? { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } : undefined,
  };
}

export async function connectTemporal(endpoint: ServiceEndpoint, connectTimeoutMs = 5_000): Promise<Connection> {
  return Connection.connect({ address: temporalAddress(endpoint), connectTimeout: connectTimeoutMs, tls: temporalTls(endpoint) });
}

export const createTemporalClient = (connection: Connection, namespace: string): Client => new Client({ connection, namespace });
