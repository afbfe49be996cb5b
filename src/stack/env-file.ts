import { appendFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { generatedEnv } from '../config/credentials.js';

const envBlock = (comment: string, values: Record<string, string>): string =>
  `# ${comment}\n${Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;

/** Writes a .env with random passwords (fresh ones unless given), readable by the owner only. */
export function writeGeneratedEnv(path: string, values: Record<string, string> = generatedEnv()): void {
  writeFileSync(path, envBlock('Written by apex with random passwords. Keep it private (mode 0600); never commit it.', values), { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Adds generated passwords to an existing .env, keeping every line in it, and makes it readable by the owner only. */
export function appendGeneratedEnv(path: string, values: Record<string, string>): void {
  const separator = readFileSync(path, 'utf8').endsWith('\n') ? '' : '\n';
  appendFileSync(path, `${separator}${envBlock('Added by apex: generated passwords this file lacked.', values)}`);
  chmodSync(path, 0o600);
}
