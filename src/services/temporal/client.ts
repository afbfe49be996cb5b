import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { temporalApiKey } from '../../config/temporal-auth.js';
import { configError } from '../../errors.js';
import { Client, Connection } from '../../vendor/temporal-client.js';
import { resolveEndpoint, serviceByName } from '../catalog.js';
import type { ServiceEndpoint, StackContext } from '../service.js';

export const temporalAddress = (endpoint: ServiceEndpoint): string => `${endpoint.host}:${endpoint.ports.grpc}`;

/** What both Temporal connections (the client's grpc-js and the worker's native one) take as `tls`. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** What both Temporal connections take: the address, TLS, and the API key sent as `authorization: Bearer <key>`. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TemporalTls;
  apiKey?: string;
}

type TlsFileKey = 'caFile' | 'certFile' | 'keyFile';

/** A PEM file named by `services.temporal.tls.<key>`, relative to the project folder. */
function readTlsFile(stack: StackContext, key: TlsFileKey, path: string): Buffer {
  const file = resolve(stack.projectDir, path);
  try {
    return readFileSync(file);
  } catch (error) {
    throw configError(
      `services.temporal.tls.${key} names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`,
      `Point services.temporal.tls.${key} in apex.config.yaml at a readable PEM file.`,
    );
  }
}

/** `services.temporal.tls` as a Temporal connection takes it: the CA and the client certificate (mTLS) read from their files. */
function temporalTls(stack: StackContext, endpoint: ServiceEndpoint): TemporalTls | undefined {
  const tls = endpoint.tls?.enabled ? endpoint.tls : undefined;
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caFile ? readTlsFile(stack, 'caFile', tls.caFile) : undefined,
    clientCertPair:
      tls.certFile && tls.keyFile ? { crt: readTlsFile(stack, 'certFile', tls.certFile), key: readTlsFile(stack, 'keyFile', tls.keyFile) } : undefined,
  };
}

/**
 * How every Temporal connection apex opens (probes, seed, reset, phases, `apex worker`) reaches the server. With an
 * API key, TLS is on (Temporal Cloud requires it): with `services.temporal.tls` when given, else the system's CAs.
 */
export function temporalConnectionOptions(stack: StackContext): TemporalConnectionOptions {
  const endpoint = resolveEndpoint(stack.config, serviceByName('temporal'));
  const apiKey = temporalApiKey(stack.config, stack.credentials);
  const tls = temporalTls(stack, endpoint) ?? (apiKey ? {} : undefined);
  return { address: temporalAddress(endpoint), tls, apiKey };
}

export async function connectTemporal(stack: StackContext, connectTimeoutMs = 5_000): Promise<Connection> {
  return Connection.connect({ ...temporalConnectionOptions(stack), connectTimeout: connectTimeoutMs });
}

export const createTemporalClient = (connection: Connection, namespace: string): Client => new Client({ connection, namespace });
