import { configError } from '../errors.js';
import { CREDENTIAL_KEYS, type Credentials } from './credentials.js';
import type { ApexConfig } from './schema.js';

export const TEMPORAL_API_KEY = CREDENTIAL_KEYS.temporalApiKey;

/**
 * The API key apex sends to Temporal, as `authorization: Bearer <key>`: on the external runtime only, so that a key
 * kept in .env for the team's Temporal Cloud namespace never reaches (nor turns TLS on against) the dev server apex starts.
 */
export function temporalApiKey(config: ApexConfig, credentials: Credentials): string | undefined {
  return config.runtime === 'external' && credentials.temporalApiKey !== '' ? credentials.temporalApiKey : undefined;
}

/** Visible ASCII only: what an HTTP/2 header carries, and what a key pasted with a newline or quotes is not. */
const API_KEY_SHAPE = /^[\x21-\x7e]+$/;

/** Temporal settings no connection can be made from, refused (exit 2) before anything connects. The key itself is never quoted. */
export function checkTemporalAuthSettings(config: ApexConfig, credentials: Credentials, envFile: string): void {
  const tls = config.services.temporal?.tls;
  if (tls?.enabled && Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
    throw configError(
      `services.temporal.tls has ${tls.certFile ? 'certFile but no keyFile' : 'keyFile but no certFile'}: a client certificate (mTLS) needs both.`,
      'Set both services.temporal.tls.certFile and keyFile in apex.config.yaml (PEM files), or neither.',
    );
  }
  const apiKey = temporalApiKey(config, credentials);
  if (apiKey === undefined) return;
  if (!API_KEY_SHAPE.test(apiKey)) {
    throw configError(
      `${TEMPORAL_API_KEY} (from ${envFile} or the environment) holds a space, a line break or a character outside visible ASCII; no API key does.`,
      `Set ${TEMPORAL_API_KEY} to the key exactly as Temporal Cloud issued it, on one line.`,
    );
  }
  if (tls && !tls.enabled) {
    throw configError(
      `${TEMPORAL_API_KEY} is set but services.temporal.tls.enabled is false: apex sends an API key only over TLS, as Temporal Cloud requires.`,
      `Remove \`enabled: false\` under services.temporal.tls in apex.config.yaml, or unset ${TEMPORAL_API_KEY}.`,
    );
  }
}
