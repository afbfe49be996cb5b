import { isGrpcServiceError } from '../../vendor/temporal-client.js';
import { errorMessage } from '../../errors.js';

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

/** "NOT_FOUND: Namespace x is not found." for a gRPC error; the plain message for anything else (a socket error, say). */
export function describeRpcFailure(error: unknown): string {
  if (!isGrpcServiceError(error)) return errorMessage(error);
  const status = GRPC_STATUS[error.code] ?? `status ${error.code}`;
  return `${status}: ${error.details || error.message}`;
}
