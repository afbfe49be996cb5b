import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadStack } from '../../../src/config/stack-context.js';
import { generatedEnv } from '../../../src/config/credentials.js';
import { configSchema } from '../../../src/config/schema.js';
import { s3 } from '../../../src/services/s3/definition.js';
import { renderCompose } from '../../../src/stack/compose-file.js';

function projectWithEnv(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-s3-'));
  const env = { ...generatedEnv(), ...extra };
  writeFileSync(
    join(dir, '.env'),
    Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
  );
  return dir;
}

describe('s3 definition: LOCALSTACK_AUTH_TOKEN', () => {
  it('reaches the LocalStack container from .env, as it does through the compose export', () => {
    const { stack } = loadStack({ cwd: projectWithEnv({ LOCALSTACK_AUTH_TOKEN: 'ls-from-dotenv' }), processEnv: {} });
    expect(s3.container(stack).env.LOCALSTACK_AUTH_TOKEN).toBe('ls-from-dotenv');
    const compose = parse(renderCompose(configSchema.parse({}))) as { services: { s3: { environment: Record<string, string> } } };
    expect(compose.services.s3.environment.LOCALSTACK_AUTH_TOKEN).toBe('${LOCALSTACK_AUTH_TOKEN:-}');
  });

  it('takes the process environment over .env, and passes nothing when neither sets it', () => {
    const dir = projectWithEnv({ LOCALSTACK_AUTH_TOKEN: 'ls-from-dotenv' });
    expect(s3.container(loadStack({ cwd: dir, processEnv: { LOCALSTACK_AUTH_TOKEN: 'ls-from-shell' } }).stack).env.LOCALSTACK_AUTH_TOKEN).toBe('ls-from-shell');
    expect(s3.container(loadStack({ cwd: projectWithEnv({}), processEnv: {} }).stack).env).not.toHaveProperty('LOCALSTACK_AUTH_TOKEN');
  });
});
