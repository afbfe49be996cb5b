import { NativeConnection } from '@temporalio/worker';
import { temporalAddress, temporalTls } from '../services/temporal/client.js';
import type { ServiceEndpoint } from '../services/service.js';

/**
 * The worker's connection (the Rust core's, not grpc-js). A Client built on it can request eager workflow
 * start, which needs the client and the worker to share one NativeConnection.
 */
export async function connectWorkerNative(endpoint: ServiceEndpoint): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporalAddress(endpoint), tls: temporalTls(endpoint) });
}
