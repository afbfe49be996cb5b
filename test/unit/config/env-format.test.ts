import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { dotenvQuote, formatEnvironment, shellQuote } from '../../../src/config/env-format.js';

/** Values a user may put in .env: spaces, both quotes, a dollar, a backtick, a backslash, a glob, a line break. */
const AWKWARD = {
  PLAIN: 'apex_memory',
  URL: 'http://127.0.0.1:4566',
  EMPTY: '',
  SPACES: 'pass word  two',
  SINGLE: "it's",
  DOUBLE: 'say "hi"',
  BOTH: `it's "x"`,
  DOLLAR: 'p$HOME${USER}',
  QUOTE_AND_DOLLAR: "a'b$HOME",
  BACKTICK: 'a`id`b',
  BACKSLASH: 'a\\b',
  GLOB: '*',
  HASH: 'a #not-a-comment',
  NEWLINE: 'line1\nline2',
};

/** What `sh` sees after sourcing `text`, for each name. */
function sourcedByShell(text: string, prefix: string): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'apex-env-format-')), 'vars');
  writeFileSync(file, text);
  const script = `${prefix} . "${file}"; for name in ${Object.keys(AWKWARD).join(' ')}; do eval "printf '%s\\0' \\"\\$$name\\""; done`;
  const values = execFileSync('sh', ['-c', script], { env: {}, encoding: 'utf8' }).split('\0').slice(0, -1);
  return Object.fromEntries(Object.keys(AWKWARD).map((name, index) => [name, values[index]]));
}

describe('environment formats', () => {
  it('leaves plain values and URLs bare', () => {
    expect(formatEnvironment({ POSTGRES_DB: 'apex_memory', S3_ENDPOINT_URL: 'http://127.0.0.1:4566', EMPTY: '' }, 'dotenv')).toBe(
      'POSTGRES_DB=apex_memory\nS3_ENDPOINT_URL=http://127.0.0.1:4566\nEMPTY=\n',
    );
    expect(formatEnvironment({ POSTGRES_DB: 'apex_memory' }, 'export')).toBe('export POSTGRES_DB=apex_memory\n');
  });

  it('quotes each awkward value as a shell and a dotenv parser both read it', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(dotenvQuote('pass word')).toBe("'pass word'");
    expect(dotenvQuote(`it's "x"`)).toBe(`"it's \\"x\\""`);
  });

  it('export lines give the shell back every value exactly', () => {
    expect(sourcedByShell(formatEnvironment(AWKWARD, 'export'), '')).toEqual(AWKWARD);
  });

  it('a dotenv file sourced by a shell (set -a) gives back every value exactly', () => {
    expect(sourcedByShell(formatEnvironment(AWKWARD, 'dotenv'), 'set -a;')).toEqual(AWKWARD);
  });

  it('the dotenv package reads back every value but those holding a single quote next to `"` or `$` (it keeps their backslashes)', () => {
    const parsed = parse(formatEnvironment(AWKWARD, 'dotenv'));
    const differing = Object.keys(AWKWARD).filter((name) => parsed[name] !== AWKWARD[name as keyof typeof AWKWARD]);
    expect(differing).toEqual(['BOTH', 'QUOTE_AND_DOLLAR']);
  });

  it('json is one object, in the order given', () => {
    expect(JSON.parse(formatEnvironment(AWKWARD, 'json'))).toEqual(AWKWARD);
    expect(Object.keys(JSON.parse(formatEnvironment(AWKWARD, 'json')))).toEqual(Object.keys(AWKWARD));
  });

  it('nothing to print is an empty text, not a blank line', () => {
    expect(formatEnvironment({}, 'dotenv')).toBe('');
    expect(formatEnvironment({}, 'export')).toBe('');
  });
});
