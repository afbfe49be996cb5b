import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatEnvironment, type EnvFormat } from '../config/env-format.js';
import type { LoadOptions } from '../config/load-config.js';
import { loadStack } from '../config/stack-context.js';
import { apexMemoryContract } from '../contracts/built-in/apex-memory.js';
import { placeholders, renderEnvironment, renderTemplate, type TemplateValue } from '../contracts/render.js';
import type { WorkerContract } from '../contracts/schema.js';
import { stackVariables } from '../services/contract-variables.js';

export interface EnvResult {
  apiVersion: 1;
  /** The selected contract's label. */
  contract: string;
  /** Whose variable names: the contract's own `worker.env`, or apex-memory's for a contract that declares none. */
  names: 'contract' | 'apex-memory';
  format: EnvFormat;
  /** Variable → value, secrets included, in the contract's order. */
  variables: Record<string, string>;
  /** Declared variables left out: their templates take a run's values ({runId}, {phase}, {prefix}, {folder}). */
  perRun: string[];
  /** The file written (mode 0600), when --output was given. */
  output?: string;
  /** The variables in `format`, as printed or written. */
  content: string;
}

export interface EnvOptions {
  format: EnvFormat;
  /** A file to write, relative to the working directory. */
  output?: string;
}

/** The document bucket a worker is configured with, when the contract delivers to S3 under a bucket that no run changes. */
function documentBucket(contract: WorkerContract): Record<string, TemplateValue> {
  const { delivery } = contract.document;
  if (delivery.kind !== 's3') return { bucket: '' };
  return placeholders(delivery.bucket).length === 0 ? { bucket: renderTemplate(delivery.bucket, {}) } : {};
}

/** Creates or truncates `path` as 0600 before writing, so that the secrets are never readable by others. */
function writePrivateFile(path: string, content: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * The stack's endpoints and credentials under the variable names the worker contract declares (`worker.env`), the
 * way `apex test phase` starts a contract's worker; a contract without `worker.env` (the reference contract) gets
 * the apex-memory contract's names. Prints secrets: it is meant for a worker's own .env.
 */
export function runEnv(loadOptions: LoadOptions, options: EnvOptions): EnvResult {
  const { config, stack } = loadStack(loadOptions);
  const { contract } = config;
  const declared = contract.worker?.env ?? {};
  const names = Object.keys(declared).length > 0 ? 'contract' : 'apex-memory';
  const templates = names === 'contract' ? declared : (apexMemoryContract.worker?.env ?? {});
  const vars = { ...stackVariables(stack, contract), ...documentBucket(contract) };
  const known = (template: string) => placeholders(template).every((name) => vars[name] !== undefined);
  const printable = Object.fromEntries(Object.entries(templates).filter(([, template]) => known(template)));
  const variables = renderEnvironment(printable, vars);
  const content = formatEnvironment(variables, options.format);
  const perRun = Object.keys(templates).filter((name) => !(name in printable));
  const result: EnvResult = { apiVersion: 1, contract: contract.label, names, format: options.format, variables, perRun, content };
  if (options.output === undefined) return result;
  const output = resolve(loadOptions.cwd ?? process.cwd(), options.output);
  writePrivateFile(output, content);
  return { ...result, output };
}
