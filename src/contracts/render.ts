import { ApexError } from '../errors.js';

/**
 * Templates of a worker contract. A placeholder is `{name}` (letters, digits, `_` and `.`); every other brace is
 * literal, so Cypher maps and Qdrant filters keep theirs. A string that is exactly one placeholder renders to the
 * variable's own value (a boolean stays a boolean); anything else is string interpolation.
 */
export type TemplateValue = string | number | boolean;
export type TemplateVariables = Readonly<Record<string, TemplateValue | undefined>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;
const SOLE_PLACEHOLDER = /^\{([A-Za-z_][A-Za-z0-9_.]*)\}$/;

/** The variable names a template uses, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]))];
}

function lookup(vars: TemplateVariables, name: string, template: string): TemplateValue {
  const value = vars[name];
  if (value !== undefined) return value;
  const known = Object.keys(vars).filter((key) => vars[key] !== undefined);
  throw new ApexError(
    'CONTRACT_TEMPLATE',
    `The worker contract's template "${template}" uses {${name}}, which has no value here.`,
    `Use one of ${known.map((key) => `{${key}}`).join(', ') || 'no variables'} in this template (edit \`contract\` in apex.config.yaml).`,
    2,
  );
}

function substitute(template: string, vars: TemplateVariables, encode: (value: TemplateValue, name: string) => string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => encode(lookup(vars, name, template), name));
}

/** Interpolates every placeholder as text. */
export const renderTemplate = (template: string, vars: TemplateVariables): string => substitute(template, vars, String);

/** A sole placeholder keeps its variable's type; any other string is interpolated. */
export function renderValue(template: string, vars: TemplateVariables): TemplateValue {
  const sole = SOLE_PLACEHOLDER.exec(template);
  return sole ? lookup(vars, sole[1], template) : renderTemplate(template, vars);
}

/** Renders every string leaf of a JSON-like value (objects, arrays); other leaves are kept. */
export function renderDeep(value: unknown, vars: TemplateVariables): unknown {
  if (typeof value === 'string') return renderValue(value, vars);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, vars)]));
  }
  return value;
}

/** The workflow's arguments: a positional list renders item by item; an object is the one argument. */
export function renderArguments(args: readonly string[] | Readonly<Record<string, unknown>>, vars: TemplateVariables): unknown[] {
  return Array.isArray(args) ? args.map((item: string) => renderValue(item, vars)) : [renderDeep(args, vars)];
}

/** A Qdrant filter with its template leaves rendered (a sole placeholder keeps a number a number). */
export const renderFilter = (filter: Readonly<Record<string, unknown>>, vars: TemplateVariables): Record<string, unknown> =>
  renderDeep(filter, vars) as Record<string, unknown>;

/** SQL with its placeholders bound as $1, $2, … (one parameter per variable), never interpolated. */
export function bindSql(sql: string, vars: TemplateVariables): { text: string; values: TemplateValue[] } {
  const names = placeholders(sql);
  const values = names.map((name) => lookup(vars, name, sql));
  return { text: sql.replace(PLACEHOLDER, (_, name: string) => `$${names.indexOf(name) + 1}`), values };
}

/** A Cypher parameter name for a variable: dots become underscores (`{postgres.host}` → `$postgres_host`). */
const cypherName = (name: string): string => name.replace(/\./g, '_');

/** Cypher with its placeholders bound as $name parameters, never interpolated. */
export function bindCypher(cypher: string, vars: TemplateVariables): { text: string; params: Record<string, TemplateValue> } {
  const params = Object.fromEntries(placeholders(cypher).map((name) => [cypherName(name), lookup(vars, name, cypher)]));
  return { text: cypher.replace(PLACEHOLDER, (_, name: string) => `$${cypherName(name)}`), params };
}

/** Escapes the characters a Redis MATCH glob treats specially, so that a value matches only itself. */
export const globEscape = (text: string): string => text.replace(/[*?[\]\\^]/g, (char) => `\\${char}`);

/** A Redis key glob: the template's own wildcards stay, substituted values are escaped. */
export const renderGlob = (pattern: string, vars: TemplateVariables): string => substitute(pattern, vars, (value) => globEscape(String(value)));

/** Environment variables for a worker process: every value rendered as text. */
export function renderEnvironment(env: Readonly<Record<string, string>>, vars: TemplateVariables): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([key, template]) => [key, renderTemplate(template, vars)]));
}
