import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { z, type ZodIssue } from 'zod';
import { ApexError, configError, errorMessage } from '../errors.js';
import { configSchema, type ApexConfig, type ProjectSchema } from './schema.js';

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
  return defaultConfigFile(cwd);
}

const defaultConfigFile = (dir: string): string | undefined => CONFIG_FILE_NAMES.map((name) => join(dir, name)).find((path) => existsSync(path));

/** The config file's text; a directory or an unreadable file is a config error that says what to pass instead. */
function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') {
      const inside = defaultConfigFile(file);
      throw configError(
        `Config file ${file} is a directory, not a file.`,
        inside
          ? `Pass the config file inside it: --config ${inside}.`
          : `Pass a config file (${CONFIG_FILE_NAMES.join(', ')}) to --config or APEX_CONFIG, or create one there with \`apex init\`.`,
      );
    }
    throw configError(`Config file ${file} cannot be read: ${errorMessage(error)}.`, `Make ${file} readable (check its permissions), or pass another file.`);
  }
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const processEnv = options.processEnv ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configFile = findConfigFile(cwd, options.configFile ?? processEnv.APEX_CONFIG);
  const projectDir = configFile ? dirname(configFile) : cwd;
  const config = configFile ? parseConfigText(readConfigFile(configFile), configFile) : configSchema.parse({});
  const envFile = join(projectDir, ENV_FILE_NAME);
  const fileEnv = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  const env: Record<string, string> = { ...fileEnv };
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) env[key] = value;
  return { config, env, projectDir, configFile, envFile };
}

/**
 * Parses config text, as strict JSON when the file is `.json` and as YAML otherwise, and validates it; errors name
 * the file, key path, line and expectation.
 */
export function parseConfigText(text: string, file: string): ApexConfig {
  const lineCounter = new LineCounter();
  const json = extname(file) === '.json' ? parseStrictJson(text, file) : undefined;
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
    throw configError(
      `${file}${line ? `:${line}` : ''}: cannot parse: ${first.message.split('\n')[0]}`,
      `Fix the syntax at ${line ? `line ${line}` : 'the reported position'} (see templates/apex.config.yaml for a valid example).`,
    );
  }
  const raw: unknown = json ?? document.toJS() ?? {};
  const keyError = (path: string[], problem: string, fix = `Edit ${path.length ? `\`${path.join('.')}\`` : 'the file'} in ${file}`): ApexError => {
    const node = nodeAt(document.contents, path);
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    return configError(
      `${file}${line ? `:${line}` : ''}: ${path.length ? path.join('.') : '(root)'}: ${problem}`,
      `${fix}; run \`apex doctor\` to check the result.`,
    );
  };
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw keyError(issue.path.map(String), describeIssue(issue));
  }
  const missing = missingSchemaFiles(result.data.schema, dirname(file));
  if (missing)
    throw keyError(
      missing.path,
      `${missing.file} does not exist (looked for ${missing.resolved})`,
      `Create ${missing.resolved}, or fix the path (relative to ${basename(file)})`,
    );
  return result.data;
}

/** The first file `schema` names that is not there: paths are relative to the config file's directory. */
function missingSchemaFiles(schema: ProjectSchema, dir: string): { path: string[]; file: string; resolved: string } | undefined {
  const listed = [
    ...(['postgres', 'neo4j'] as const).flatMap((store) => (schema[store] ?? []).map((file, index) => ({ path: ['schema', store, String(index)], file }))),
    ...(schema.qdrant ? [{ path: ['schema', 'qdrant'], file: schema.qdrant }] : []),
  ];
  return listed.map((entry) => ({ ...entry, resolved: resolve(dir, entry.file) })).find((entry) => !existsSync(entry.resolved));
}

/** The value of a `.json` config, which must be JSON (no trailing commas, comments or unquoted keys). */
function parseStrictJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = errorMessage(error);
    const position = /at position (\d+)/.exec(message);
    const line = text.slice(0, position ? Number(position[1]) : text.length).split('\n').length;
    throw configError(
      `${file}:${line}: not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
      `Fix the JSON at line ${line} of ${basename(file)} (JSON allows no trailing commas or comments; a .yaml file does).`,
    );
  }
}

function describeIssue(issue: ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const unknown = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
      const known = knownKeys(configSchema, issue.path.map(String));
      return known ? `${unknown}; expected one of ${known.map((key) => `"${key}"`).join(', ')}` : unknown;
    }
    case 'invalid_type':
      return issue.received === 'undefined' ? `missing: expected ${issue.expected}` : `expected ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.map((option) => `"${String(option)}"`).join(', ')}, got "${String(issue.received)}"`;
    default:
      return issue.message;
  }
}

/** The keys the object schema at `path` accepts, or undefined where the schema there is not a plain object. */
function knownKeys(schema: z.ZodTypeAny, path: readonly string[]): string[] | undefined {
  const [key, ...rest] = path;
  if (schema instanceof z.ZodEffects) return knownKeys(schema.innerType() as z.ZodTypeAny, path);
  if (schema instanceof z.ZodDefault) return knownKeys(schema.removeDefault() as z.ZodTypeAny, path);
  if (schema instanceof z.ZodOptional) return knownKeys(schema.unwrap() as z.ZodTypeAny, path);
  if (!(schema instanceof z.ZodObject)) return undefined;
  const shape = schema.shape as Record<string, z.ZodTypeAny>;
  if (key === undefined) return Object.keys(shape);
  return shape[key] ? knownKeys(shape[key], rest) : undefined;
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
