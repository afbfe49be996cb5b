import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../config/stack-context.js';
import { CONFIG_FILE_NAMES, ENV_FILE_NAME } from '../config/load-config.js';
import { ApexError } from '../errors.js';
import { writeGeneratedEnv } from './env-file.js';

export interface InitResult {
  apiVersion: 1;
  configFile: string;
  envFile: string;
  overwritten: string[];
}

/** Writes apex.config.yaml (the commented template) and .env (random passwords, mode 0600). */
export function runInit(directory: string, options: { force: boolean }, templatesDir = TEMPLATES_DIR): InitResult {
  const configFile = join(directory, CONFIG_FILE_NAMES[0]);
  const envFile = join(directory, ENV_FILE_NAME);
  const existing = [configFile, envFile].filter((path) => existsSync(path));
  if (existing.length > 0 && !options.force) {
    throw new ApexError(
      'ALREADY_INITIALISED',
      `${existing.join(' and ')} already exist${existing.length > 1 ? '' : 's'}; nothing was written.`,
      'Keep them, or pass --force to overwrite. New passwords do not match data already in the volumes: ' + 'run `apex down --volumes --yes` first.',
      2,
    );
  }
  copyFileSync(join(templatesDir, 'apex.config.yaml'), configFile);
  writeGeneratedEnv(envFile);
  return { apiVersion: 1, configFile, envFile, overwritten: existing };
}
