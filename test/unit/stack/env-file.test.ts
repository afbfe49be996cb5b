import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { appendGeneratedEnv, writeGeneratedEnv } from '../../../src/stack/env-file.js';

const envFile = (): string => join(mkdtempSync(join(tmpdir(), 'apex-env-file-')), '.env');

describe('the generated .env', () => {
  it('is written whole, readable by the owner only, with no temporary file left beside it', () => {
    const path = envFile();
    writeGeneratedEnv(path, { POSTGRES_PASSWORD: 'p1', REDIS_PASSWORD: 'r1' });
    expect(parse(readFileSync(path))).toEqual({ POSTGRES_PASSWORD: 'p1', REDIS_PASSWORD: 'r1' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(path, '..'))).toEqual(['.env']);
  });

  it('gets only the missing passwords added, keeping every line it had (one without a final newline too), and becomes 0600', () => {
    const path = envFile();
    writeFileSync(path, '# mine\nPOSTGRES_PASSWORD=kept', { mode: 0o644 });
    appendGeneratedEnv(path, { REDIS_PASSWORD: 'r2' });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('# mine\nPOSTGRES_PASSWORD=kept\n# Added by apex')).toBe(true);
    expect(parse(text)).toEqual({ POSTGRES_PASSWORD: 'kept', REDIS_PASSWORD: 'r2' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(path, '..'))).toEqual(['.env']);
  });
});
