/**
 * Environment variables as text: dotenv lines, shell `export` lines, or one JSON object. A dotenv file is read by
 * dotenv parsers (python-dotenv, the dotenv package, `docker compose --env-file`) and is also sourced by shells
 * (`set -a; . ./file`), so its quoting is the part both agree on.
 */
export const ENV_FORMATS = ['dotenv', 'export', 'json'] as const;
export type EnvFormat = (typeof ENV_FORMATS)[number];

/** Characters that mean the same, unquoted, to a shell and to every dotenv parser. */
const BARE = /^[\w@%+=:,./-]*$/;

/**
 * POSIX shell quoting: single quotes keep everything literal, and a single quote is written as `'\''`. This one rule
 * is the whole of it (shell-quote would add a dependency for it, and backslash-escapes the colons of every URL).
 */
export function shellQuote(value: string): string {
  return BARE.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * A dotenv value: bare when safe, in single quotes (literal for shells and dotenv parsers alike) unless it holds a
 * single quote or a line break, otherwise in double quotes with `\`, `"`, `$` and `` ` `` escaped as a shell and
 * `supabase status -o env` do (a line break stays literal: shells and dotenv parsers all read it). Only in this last
 * case can a dotenv parser differ: python-dotenv keeps the backslash of `\$`, the dotenv package every backslash.
 */
export function dotenvQuote(value: string): string {
  if (BARE.test(value)) return value;
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  return `"${value.replace(/[\\"$`]/g, (char) => `\\${char}`)}"`;
}

/** The variables in one format, in the order given; dotenv and export end with a newline. */
export function formatEnvironment(variables: Readonly<Record<string, string>>, format: EnvFormat): string {
  if (format === 'json') return `${JSON.stringify(variables, null, 2)}\n`;
  const entries = Object.entries(variables);
  if (entries.length === 0) return '';
  const line =
    format === 'export'
      ? (name: string, value: string) => `export ${name}=${shellQuote(value)}`
      : (name: string, value: string) => `${name}=${dotenvQuote(value)}`;
  return `${entries.map(([name, value]) => line(name, value)).join('\n')}\n`;
}
