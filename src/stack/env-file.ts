import { writeFileSync, chmodSync } from 'node:fs';
import { generatedEnv } from '../config/credentials.js';

/** Writes a .env with random passwords (fresh ones unless given), readable by the owner only. */
export function writeGeneratedEnv(path: string, values: Record<string, string> = generatedEnv()): void {
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value}`);
  const header = '# Written by apex with random passwords. Keep it private (mode 0600); never commit it.\n';
  writeFileSync(path, `${header}${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
