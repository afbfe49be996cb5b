import { randomBytes } from 'node:crypto';
import { configError } from '../errors.js';

/** The .env keys apex reads. Generated ones get random values from `apex init` (or the first `apex up`). */
export const CREDENTIAL_KEYS = {
  postgresUser: 'POSTGRES_USER',
  postgresPassword: 'POSTGRES_PASSWORD',
  postgresDb: 'POSTGRES_DB',
  neo4jUser: 'NEO4J_USER',
  neo4jPassword: 'NEO4J_PASSWORD',
  redisPassword: 'REDIS_PASSWORD',
  awsAccessKeyId: 'AWS_ACCESS_KEY_ID',
  awsSecretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  awsRegion: 'AWS_DEFAULT_REGION',
  grafanaPassword: 'GRAFANA_ADMIN_PASSWORD',
  qdrantApiKey: 'QDRANT_API_KEY',
} as const;

export type CredentialName = keyof typeof CREDENTIAL_KEYS;
export type Credentials = Record<CredentialName, string>;

/** Keys with a fixed, non-secret default (LocalStack ignores its credentials). */
const FIXED_DEFAULTS: Partial<Credentials> = {
  postgresUser: 'apex',
  postgresDb: 'apex',
  neo4jUser: 'neo4j',
  awsAccessKeyId: 'test',
  awsSecretAccessKey: 'test',
  awsRegion: 'us-east-1',
  qdrantApiKey: '',
};

/** Keys whose value `apex init` generates. */
export const GENERATED_CREDENTIALS: readonly CredentialName[] = [
  'postgresPassword',
  'neo4jPassword',
  'redisPassword',
  'grafanaPassword',
];

export function generateSecret(): string {
  return randomBytes(18).toString('base64url');
}

/** The .env content `apex init` writes: fixed defaults plus fresh random passwords. */
export function generatedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, key] of Object.entries(CREDENTIAL_KEYS) as [CredentialName, string][]) {
    env[key] = GENERATED_CREDENTIALS.includes(name) ? generateSecret() : (FIXED_DEFAULTS[name] ?? '');
  }
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
  for (const [name, key] of Object.entries(CREDENTIAL_KEYS) as [CredentialName, string][]) {
    const value = env[key] ?? FIXED_DEFAULTS[name] ?? (runtime === 'external' ? '' : undefined);
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
  return [...GENERATED_CREDENTIALS, 'qdrantApiKey' as const]
    .map((name) => credentials[name])
    .filter((value) => value.length >= 4);
}
