import { isGrpcServiceError } from '../../vendor/temporal-client.js';
import { errorMessage } from '../../errors.js';
import { errorChain } from '../failure.js';

/** gRPC status codes by number (grpc/status.proto), so a failure names its status the way the server's docs do. */
const GRPC_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

const GRPC_PERMISSION_DENIED = GRPC_STATUS.indexOf('PERMISSION_DENIED');
const GRPC_UNAUTHENTICATED = GRPC_STATUS.indexOf('UNAUTHENTICATED');

/** "NOT_FOUND: Namespace x is not found." for a gRPC error; the plain message for anything else (a socket error, say). */
export function describeRpcFailure(error: unknown): string {
  if (!isGrpcServiceError(error)) return errorMessage(error);
  const status = GRPC_STATUS[error.code] ?? `status ${error.code}`;
  return `${status}: ${error.details || error.message}`;
}

/** gRPC UNAUTHENTICATED and PERMISSION_DENIED as the worker's native connection words them (tonic's status descriptions). */
const NATIVE_AUTH_REJECTIONS = ['does not have valid authentication credentials', 'does not have permission to execute'];

/** The failure in the chain by which Temporal refused the caller (no API key or client certificate, or one it does not accept), if any. */
export function authRejection(error: unknown): unknown {
  return errorChain(error).find(
    (link) =>
      (isGrpcServiceError(link) && (link.code === GRPC_UNAUTHENTICATED || link.code === GRPC_PERMISSION_DENIED)) ||
      NATIVE_AUTH_REJECTIONS.some((text) => errorMessage(link).includes(text)),
  );
}
