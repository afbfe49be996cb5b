import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { ZodIssue } from 'zod';
import { configError } from '../errors.js';
import { configSchema, type ApexConfig } from './schema.js';

export const CONFIG_FILE_NAMES = ['apex.config.yaml', 'apex.config.yml', 'apex.config.json'] as const;
export const ENV_FILE_NAME = '.env';

export interface LoadedConfig {
  config: ApexConfig;
  /** .env merged under the process environment (the process wins, as with dotenv). */
  env: Readonly<Record<string, string>>;
  /** Directory holding the config file and .env; the cwd when there is no config file. */
  projectDir: string;
  configFile?: string;
  envFile: string;
}

export interface LoadOptions {
  cwd?: string;
  /** An explicit config file (--config or APEX_CONFIG). */
  configFile?: string;
  processEnv?: NodeJS.ProcessEnv;
}

export function findConfigFile(cwd: string, explicit?: string): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      throw configError(`Config file ${path} does not exist.`, `Create it with \`apex init\`, or fix the --config path.`);
    }
    return path;
  }
  return CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path));
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const processEnv = options.processEnv ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configFile = findConfigFile(cwd, options.configFile ?? processEnv.APEX_CONFIG);
  const projectDir = configFile ? dirname(configFile) : cwd;
  const config = configFile ? parseConfigText(readFileSync(configFile, 'utf8'), configFile) : configSchema.parse({});
  const envFile = join(projectDir, ENV_FILE_NAME);
  const fileEnv = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  const env: Record<string, string> = { ...fileEnv };
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) env[key] = value;
  return { config, env, projectDir, configFile, envFile };
}

/** Parses YAML or JSON config text and validates it; errors name the file, key path, line and expectation. */
export function parseConfigText(text: string, file: string): ApexConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
    throw configError(
      `${file}${line ? `:${line}` : ''}: cannot parse: ${first.message.split('\n')[0]}`,
      `Fix the syntax at ${line ? `line ${line}` : 'the reported position'} (see templates/apex.config.yaml for a valid example).`,
    );
  }
  const raw: unknown = document.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String);
  const node = nodeAt(document.contents, path);
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  throw configError(
    `${file}${line ? `:${line}` : ''}: ${path.length ? path.join('.') : '(root)'}: ${describeIssue(issue)}`,
    `Edit ${path.length ? `\`${path.join('.')}\`` : 'the file'} in ${file}; run \`apex doctor\` to check the result.`,
  );
}

function describeIssue(issue: ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_type':
      return issue.received === 'undefined' ? `missing: expected ${issue.expected}` : `expected ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.map((option) => `"${String(option)}"`).join(', ')}, got "${String(issue.received)}"`;
    default:
      return issue.message;
  }
}

/** The node at `path`, or its deepest ancestor in the file (where a missing key belongs). */
function nodeAt(root: unknown, path: readonly string[]): Node | undefined {
  let node = root as Node | undefined;
  for (const key of path) {
    const child = isMap(node) ? node.get(key, true) : isSeq(node) ? node.get(Number(key), true) : undefined;
    if (child === undefined || child === null) return node;
    node = child as Node;
  }
  return node;
}
