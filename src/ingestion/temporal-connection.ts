import { readFileSync } from 'node:fs';
import { NativeConnection } from '@temporalio/worker';
import { temporalAddress } from '../services/temporal/client.js';
import type { ServiceEndpoint } from '../services/service.js';

/**
 * The worker's connection (the Rust core's, not grpc-js). A Client built on it can request eager workflow
 * start, which needs the client and the worker to share one NativeConnection.
 */
export async function connectWorkerNative(endpoint: ServiceEndpoint): Promise<NativeConnection> {
  const tls = endpoint.tls?.enabled ? endpoint.tls : undefined;
  return NativeConnection.connect({
    address: temporalAddress(endpoint),
    tls: tls
      ? {
          serverNameOverride: tls.serverName,
          serverRootCACertificate: tls.caFile ? readFileSync(tls.caFile) : undefined,
          clientCertPair: tls.certFile && tls.keyFile ? { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } : undefined,
        }
      : undefined,
  });
}
