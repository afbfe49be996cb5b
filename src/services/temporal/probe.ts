import type { Connection } from '@temporalio/client';
import { isGrpcServiceError } from '../../vendor/temporal-client.js';
import { addressOf, hasErrorCode, startFix } from '../failure.js';
import { withResource, type Diagnosis, type ProbeReport, type StoreContext } from '../operations.js';
import { temporalAuthDiagnosis } from './auth-failure.js';
import { connectTemporal } from './client.js';

/** gRPC status NOT_FOUND. */
export const GRPC_NOT_FOUND = 5;

/** temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED */
const NAMESPACE_STATE_REGISTERED = 1;

/** A connection for an operation, closed when it ends or is aborted. */
export const withTemporal = <T>(ctx: StoreContext, use: (connection: Connection) => Promise<T>): Promise<T> =>
  withResource(
    ctx.signal,
    () => connectTemporal(ctx.stack),
    (connection) => connection.close(),
    use,
  );

export const namespaceOf = (ctx: StoreContext): string => ctx.stack.config.ingestion.namespace;

export const isNotFound = (error: unknown): boolean => isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND;

export const probeTemporal = (ctx: StoreContext): Promise<ProbeReport> =>
  withTemporal(ctx, async (connection) => {
    const namespace = namespaceOf(ctx);
    const [system, description] = await Promise.all([
      connection.workflowService.getSystemInfo({}),
      connection.workflowService.describeNamespace({ namespace }),
    ]);
    const state = description.namespaceInfo?.state;
    if (state !== NAMESPACE_STATE_REGISTERED) throw new Error(`namespace ${namespace} is not registered (state ${state})`);
    return { version: system.serverVersion || undefined, detail: `system info; namespace ${namespace} registered` };
  });

export function diagnoseTemporal(error: unknown, ctx: StoreContext): Diagnosis | undefined {
  const auth = temporalAuthDiagnosis(ctx.stack, error);
  if (auth) return auth;
  if (hasErrorCode(error, 'Failed to connect before the deadline')) {
    return { error: `temporal: ${addressOf(ctx)} accepts connections but no gRPC answer came in time`, fix: startFix(ctx) };
  }
  if (isNotFound(error)) {
    return {
      error: `temporal: namespace ${namespaceOf(ctx)} does not exist`,
      fix: '`apex seed --only temporal` registers it.',
    };
  }
  return undefined;
}
