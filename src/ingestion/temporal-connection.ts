import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '../services/temporal/client.js';
import type { StackContext } from '../services/service.js';

/**
 * The worker's connection (the Rust core's, not grpc-js), with the options every Temporal connection of apex takes.
 * A Client built on it can request eager workflow start, which needs the client and the worker to share one NativeConnection.
 */
export async function connectWorkerNative(stack: StackContext): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(stack));
}
