import { basename, dirname, join } from 'node:path';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { generatedEnv } from '../config/credentials.js';

const envBlock = (comment: string, values: Record<string, string>): string =>
  `# ${comment}\n${Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;

/** Writes a .env with random passwords (fresh ones unless given), readable by the owner only. */
export function writeGeneratedEnv(path: string, values: Record<string, string> = generatedEnv()): void {
  replaceFile(path, envBlock('Written by apex with random passwords. Keep it private (mode 0600); never commit it.', values));
}

/** Adds generated passwords to an existing .env, keeping every line in it, and makes it readable by the owner only. */
export function appendGeneratedEnv(path: string, values: Record<string, string>): void {
  const existing = readFileSync(path, 'utf8');
  const separator = existing.endsWith('\n') ? '' : '\n';
  replaceFile(path, `${existing}${separator}${envBlock('Added by apex: generated passwords this file lacked.', values)}`);
}

/** A reader sees the old file or the whole new one, never half of it: written beside it (mode 0600), then renamed over it. */
function replaceFile(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
