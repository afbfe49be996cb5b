import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingGeneratedEnv, readCredentials } from '../../../src/config/credentials.js';
import { loadConfig, parseConfigText } from '../../../src/config/load-config.js';
import { ApexError } from '../../../src/errors.js';

function configError(text: string): ApexError {
  try {
    parseConfigText(text, 'apex.config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ApexError);
    return error as ApexError;
  }
  throw new Error('expected the config to be rejected');
}

describe('config validation', () => {
  it('names file, line and key path of an unknown key, exit code 2', () => {
    const error = configError('project: apex\nservices:\n  postgres:\n    imagee: postgres:16\n');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('apex.config.yaml:4: services.postgres: unknown key "imagee"');
    expect(error.fix).toContain('services.postgres');
  });

  it('names the key path, line and expected type of a wrong type', () => {
    const error = configError('services:\n  redis:\n    ports:\n      redis: "six"\n');
    expect(error.message).toBe('apex.config.yaml:4: services.redis.ports.redis: expected number, got string');
  });

  it("knows each service's own port names and settings", () => {
    expect(configError('services:\n  temporal:\n    ports: { grcp: 17233 }\n').message).toBe('apex.config.yaml:3: services.temporal.ports: unknown key "grcp"');
    expect(configError('services:\n  postgres:\n    provider: minio\n').message).toBe('apex.config.yaml:3: services.postgres: unknown key "provider"');
    expect(parseConfigText('services:\n  s3:\n    provider: minio\n    ports: { http: 14566 }\n', 'apex.config.yaml').services.s3).toEqual({
      provider: 'minio',
      ports: { http: 14566 },
    });
  });

  it('lists the allowed values of an enum', () => {
    const error = configError('runtime: podman\n');
    expect(error.message).toBe('apex.config.yaml:1: runtime: expected one of "docker", "external", got "podman"');
  });

  it('reports unparseable YAML with its line', () => {
    const error = configError('project: apex\nservices:\n\tpostgres: {}\n');
    expect(error.message).toBe('apex.config.yaml:3: cannot parse: Tabs are not allowed as indentation');
    expect(error.exitCode).toBe(2);
  });

  it('embeds defaults when there is no config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-config-'));
    const { config, configFile } = loadConfig({ cwd: dir, processEnv: {} });
    expect(configFile).toBeUndefined();
    expect(config).toMatchObject({ project: 'apex', runtime: 'docker', bindAddress: '127.0.0.1', profiles: [] });
  });

  it('lets the process environment win over .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-config-'));
    writeFileSync(join(dir, '.env'), 'REDIS_PASSWORD=from-file\nPOSTGRES_PASSWORD=file\n');
    const { env } = loadConfig({ cwd: dir, processEnv: { REDIS_PASSWORD: 'from-process' } });
    expect(env.REDIS_PASSWORD).toBe('from-process');
    expect(env.POSTGRES_PASSWORD).toBe('file');
  });

  it('generates only the passwords that neither .env nor the environment holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-config-'));
    writeFileSync(join(dir, '.env'), 'POSTGRES_PASSWORD=kept\nNEO4J_PASSWORD=kept\n');
    const { env } = loadConfig({ cwd: dir, processEnv: { REDIS_PASSWORD: 'from-process' } });
    const missing = missingGeneratedEnv(env);
    expect(Object.keys(missing)).toEqual(['GRAFANA_ADMIN_PASSWORD']);
    expect(missing.GRAFANA_ADMIN_PASSWORD).toMatch(/^[\w-]{24}$/);
  });

  it('requires every password on the docker runtime; on the external runtime an unset one means none', () => {
    const env = { POSTGRES_PASSWORD: 'pg', NEO4J_PASSWORD: 'neo' };
    expect(() => readCredentials(env, '/p/.env')).toThrow('REDIS_PASSWORD, GRAFANA_ADMIN_PASSWORD are not set (looked in /p/.env and the environment).');
    const external = readCredentials(env, '/p/.env', 'external');
    expect(external).toMatchObject({ postgresUser: 'apex', postgresPassword: 'pg', neo4jPassword: 'neo', redisPassword: '', grafanaPassword: '' });
  });

  it('accepts the shipped template', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../../templates/apex.config.yaml', import.meta.url), 'utf8');
    expect(parseConfigText(text, 'templates/apex.config.yaml').project).toBe('apex');
  });
});
