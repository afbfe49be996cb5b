import { writeFileSync, chmodSync } from 'node:fs';
import { generatedEnv } from '../config/credentials.js';

/** Writes a .env with fresh random passwords, readable by the owner only. */
export function writeGeneratedEnv(path: string): void {
  const lines = Object.entries(generatedEnv()).map(([key, value]) => `${key}=${value}`);
  const header = '# Written by apex with random passwords. Keep it private (mode 0600); never commit it.\n';
  writeFileSync(path, `${header}${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
