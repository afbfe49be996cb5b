import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { CREDENTIAL_KEYS } from '../../src/config/credentials.js';

/** The built CLI (`npm run build` first), as a user runs it. */
export const CLI_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/**
 * Runs `apex <args>` in `cwd` without a terminal. NODE_ENV=production because vitest sets "test", which makes
 * oclif run src/ through tsx instead of the built dist/ (slower, and not what users run).
 */
export function runCli(cwd: string, args: readonly string[], env: Record<string, string | undefined> = {}) {
  return execa('node', [CLI_BIN, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', NODE_ENV: 'production', ...env },
  } as const);
}

/** Unsets every credential variable, so that the project's .env is the CLI's only source (CI exports the servers' own, which would win). */
export const ONLY_PROJECT_CREDENTIALS: Record<string, undefined> = Object.fromEntries(Object.values(CREDENTIAL_KEYS).map((key) => [key, undefined]));
