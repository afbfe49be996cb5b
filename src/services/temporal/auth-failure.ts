import { join } from 'node:path';
import { ENV_FILE_NAME } from '../../config/load-config.js';
import { TEMPORAL_API_KEY } from '../../config/temporal-auth.js';
import { ApexError, errorMessage } from '../../errors.js';
import type { Diagnosis } from '../operations.js';
import type { StackContext } from '../service.js';
import { temporalConnectionOptions } from './client.js';
import { authRejection, describeRpcFailure } from './rpc-failure.js';

export const TEMPORAL_AUTH = 'TEMPORAL_AUTH';

/** Temporal refused apex's credentials: what apex sent, what the server said, and the variable or setting to change. Never the key itself. */
export function temporalAuthDiagnosis(stack: StackContext, error: unknown): Diagnosis | undefined {
  const rejection = authRejection(error);
  if (rejection === undefined) return undefined;
  const { address, tls, apiKey } = temporalConnectionOptions(stack);
  const envFile = join(stack.projectDir, ENV_FILE_NAME);
  const namespace = stack.config.ingestion.namespace;
  const sent = apiKey ? `the API key in ${TEMPORAL_API_KEY}` : tls?.clientCertPair ? 'the client certificate of services.temporal.tls' : 'no credentials';
  const fix = apiKey
    ? `Set ${TEMPORAL_API_KEY} in ${envFile} (or the environment) to a valid, unexpired API key with access to namespace ${namespace} (Temporal Cloud: Settings → API Keys).`
    : `Set ${TEMPORAL_API_KEY} in ${envFile} (or the environment) to an API key with access to namespace ${namespace}, or give a client certificate the server trusts under services.temporal.tls (certFile, keyFile) in apex.config.yaml.` +
      (stack.config.runtime === 'external' ? '' : ' apex sends the key on the external runtime only (`runtime: external` or --runtime external).');
  return {
    error: `temporal at ${address} refused ${sent}: ${describeRpcFailure(rejection)}`,
    fix,
    rejectedKey: apiKey ? TEMPORAL_API_KEY : undefined,
    code: TEMPORAL_AUTH,
  };
}

/** Why a long-running command could not connect to Temporal: refused credentials (TEMPORAL_AUTH), or no answer (TEMPORAL_UNREACHABLE). */
export function temporalConnectFailure(stack: StackContext, error: unknown): ApexError {
  if (error instanceof ApexError) return error;
  const auth = temporalAuthDiagnosis(stack, error);
  if (auth) return new ApexError(TEMPORAL_AUTH, `${auth.error}.`, auth.fix);
  return new ApexError(
    'TEMPORAL_UNREACHABLE',
    `Cannot reach Temporal at ${temporalConnectionOptions(stack).address}: ${errorMessage(error)}`,
    'Start the stack with `apex up` (or fix services.temporal in apex.config.yaml), then retry.',
  );
}
