import { appendFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { generatedEnv } from '../config/credentials.js';

/** Writes a .env with random passwords (fresh ones unless given), readable by the owner only. */
export function writeGeneratedEnv(path: string, values: Record<string, string> = generatedEnv()): void {
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value}`);
  const header = '# Written by apex with random passwords. Keep it private (mode 0600); never commit it.\n';
  writeFileSync(path, `${header}${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Adds generated passwords to an existing .env, keeping every line in it, and makes it readable by the owner only. */
export function appendGeneratedEnv(path: string, values: Record<string, string>): void {
  const separator = readFileSync(path, 'utf8').endsWith('\n') ? '' : '\n';
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value}`);
  appendFileSync(path, `${separator}# Added by apex: generated passwords this file lacked.\n${lines.join('\n')}\n`);
  chmodSync(path, 0o600);
}
