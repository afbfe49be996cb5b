import { randomBytes } from 'node:crypto';
import { configError } from '../errors.js';
import { SERVICE_NAMES, SERVICE_SPECS, type CredentialName, type CredentialSpec } from './service-specs.js';

type CredentialSpecs = Record<CredentialName, CredentialSpec>;

/** Every .env key the services declare, by credential name, in service order. */
const CREDENTIALS: Readonly<CredentialSpecs> = Object.assign({}, ...SERVICE_NAMES.map((name) => SERVICE_SPECS[name].credentials)) as CredentialSpecs;
const CREDENTIAL_NAMES = Object.keys(CREDENTIALS) as CredentialName[];

/** The .env keys apex reads. Generated ones get random values from `apex init` (or the first `apex up`). */
export const CREDENTIAL_KEYS = Object.fromEntries(CREDENTIAL_NAMES.map((name) => [name, CREDENTIALS[name].key])) as Readonly<Record<CredentialName, string>>;

export type { CredentialName };
export type Credentials = Record<CredentialName, string>;

/** Keys whose value `apex init` generates. */
export const GENERATED_CREDENTIALS: readonly CredentialName[] = CREDENTIAL_NAMES.filter((name) => CREDENTIALS[name].generated);

export function generateSecret(): string {
  return randomBytes(18).toString('base64url');
}

/** The .env content `apex init` writes: fixed defaults plus fresh random passwords. */
export function generatedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of CREDENTIAL_NAMES) env[CREDENTIAL_KEYS[name]] = CREDENTIALS[name].generated ? generateSecret() : (CREDENTIALS[name].default ?? '');
  return env;
}

/** Fresh values for the generated passwords that env lacks. */
export function missingGeneratedEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  const keys = GENERATED_CREDENTIALS.map((name) => CREDENTIAL_KEYS[name]).filter((key) => env[key] === undefined);
  return Object.fromEntries(keys.map((key) => [key, generateSecret()]));
}

/**
 * The credentials from .env and the environment. On the docker runtime every password is required (`apex up`
 * generates the missing ones). On the external runtime an unset password means the server asks for none: a
 * server that does ask rejects the empty one, and that error names the key.
 */
export function readCredentials(env: Readonly<Record<string, string>>, envFile: string, runtime: 'docker' | 'external' = 'docker'): Credentials {
  const credentials = {} as Credentials;
  const missing: string[] = [];
  for (const name of CREDENTIAL_NAMES) {
    const key = CREDENTIAL_KEYS[name];
    const value = env[key] ?? CREDENTIALS[name].default ?? (runtime === 'external' ? '' : undefined);
    if (value === undefined) missing.push(key);
    else credentials[name] = value;
  }
  if (missing.length > 0) {
    throw configError(
      `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set (looked in ${envFile} and the environment).`,
      'Run `apex up`: it adds the missing passwords to .env and keeps the ones there. Or set the variables yourself.',
    );
  }
  return credentials;
}

/** Every secret value, so that output and reports can redact them. */
export function secretValues(credentials: Credentials): string[] {
  return CREDENTIAL_NAMES.filter((name) => CREDENTIALS[name].generated || CREDENTIALS[name].secret)
    .map((name) => credentials[name])
    .filter((value) => value.length >= 4);
}
