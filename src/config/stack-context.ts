import { fileURLToPath } from 'node:url';
import { readCredentials, type Credentials } from './credentials.js';
import { loadConfig, type LoadedConfig, type LoadOptions } from './load-config.js';
import type { ApexConfig } from './schema.js';
import { checkTemporalAuthSettings } from './temporal-auth.js';

/** templates/ shipped beside dist/ in the package. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

/** What every service module is given: the validated config and the credentials from .env. */
export interface StackContext {
  config: ApexConfig;
  credentials: Credentials;
  /** .env merged under the process environment: what a container passes through besides the credentials. */
  env: Readonly<Record<string, string>>;
  /** Where apex.config.yaml and .env live. */
  projectDir: string;
  /** templates/ of the installed apex package. */
  templatesDir: string;
}

export interface LoadedStack extends LoadedConfig {
  stack: StackContext;
}

export interface StackLoadOptions extends LoadOptions {
  /** --runtime: overrides the config's `runtime`. */
  runtime?: ApexConfig['runtime'];
}

/** Loads config and .env, then reads the credentials every service needs. */
export function loadStack(options: StackLoadOptions = {}): LoadedStack {
  const loaded = loadConfig(options);
  if (options.runtime) loaded.config = { ...loaded.config, runtime: options.runtime };
  const credentials = readCredentials(loaded.env, loaded.envFile, loaded.config.runtime);
  checkTemporalAuthSettings(loaded.config, credentials, loaded.envFile);
  return {
    ...loaded,
    stack: { config: loaded.config, credentials, env: loaded.env, projectDir: loaded.projectDir, templatesDir: TEMPLATES_DIR },
  };
}
