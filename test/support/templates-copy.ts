import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../../src/config/stack-context.js';

/** A copy of templates/ with one file changed: how a test breaks a rule, a dashboard or a route on purpose. */
export function templatesWith(file: string, change: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-templates-'));
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`templatesWith: the change to ${file} changed nothing`);
  writeFileSync(path, after);
  return dir;
}
