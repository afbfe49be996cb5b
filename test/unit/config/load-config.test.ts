import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingGeneratedEnv, readCredentials } from '../../../src/config/credentials.js';
import { loadConfig, parseConfigText } from '../../../src/config/load-config.js';
import { ApexError } from '../../../src/errors.js';

function configError(text: string, file = 'apex.config.yaml'): ApexError {
  try {
    parseConfigText(text, file);
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
    expect(error.message).toBe(
      'apex.config.yaml:4: services.postgres: unknown key "imagee"; expected one of "image", "host", "tls", "healthTimeoutSeconds", "ports"',
    );
    expect(error.fix).toContain('services.postgres');
  });

  it('names the key path, line and expected type of a wrong type', () => {
    const error = configError('services:\n  redis:\n    ports:\n      redis: "six"\n');
    expect(error.message).toBe('apex.config.yaml:4: services.redis.ports.redis: expected number, got string');
  });

  it("knows each service's own port names and settings", () => {
    expect(configError('services:\n  temporal:\n    ports: { grcp: 17233 }\n').message).toBe(
      'apex.config.yaml:3: services.temporal.ports: unknown key "grcp"; expected one of "grpc", "ui", "metrics"',
    );
    expect(configError('services:\n  postgres:\n    provider: minio\n').message).toMatch(
      /^apex\.config\.yaml:3: services\.postgres: unknown key "provider"; expected one of "image", /,
    );
    expect(parseConfigText('services:\n  s3:\n    provider: minio\n    ports: { http: 14566 }\n', 'apex.config.yaml').services.s3).toEqual({
      provider: 'minio',
      ports: { http: 14566 },
    });
  });

  it('names an unknown port name with the ports the service has, exit code 2', () => {
    const error = configError('services:\n  postgres:\n    ports: { pg: 16000 }\n');
    expect(error.message).toBe('apex.config.yaml:3: services.postgres.ports: unknown key "pg"; expected one of "postgres"');
    expect(error.exitCode).toBe(2);
  });

  it('rejects two services given the same host port, naming both keys and the port', () => {
    const error = configError('services:\n  postgres:\n    ports: { postgres: 16000 }\n  redis:\n    ports:\n      redis: 16000\n');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'apex.config.yaml:6: services.redis.ports.redis: host port 16000 is also services.postgres.ports.postgres; two services cannot publish one port',
    );
  });

  it("rejects a port set to another service's default, whatever the profiles", () => {
    const error = configError('services:\n  postgres:\n    ports: { postgres: 3000 }\n');
    expect(error.message).toBe(
      'apex.config.yaml:3: services.postgres.ports.postgres: host port 3000 is also services.grafana.ports.http (its default); two services cannot publish one port',
    );
  });

  it('lets external services on different hosts share a port number, not on one host', () => {
    const apart =
      'runtime: external\nservices:\n  postgres: { host: db.example, ports: { postgres: 443 } }\n  redis: { host: cache.example, ports: { redis: 443 } }\n';
    expect(parseConfigText(apart, 'apex.config.yaml').services.redis?.ports).toEqual({ redis: 443 });
    const together =
      'runtime: external\nservices:\n  postgres: { host: db.example, ports: { postgres: 443 } }\n  redis: { host: db.example, ports: { redis: 443 } }\n';
    expect(configError(together).message).toContain('services.redis.ports.redis: host port 443 is also services.postgres.ports.postgres');
  });

  it('parses a .json config as strict JSON, naming the line of a trailing comma', () => {
    const error = configError('{\n  "project": "apex",\n  "runtime": "docker",\n}\n', 'apex.config.json');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('apex.config.json:4: not valid JSON: Expected double-quoted property name');
    expect(error.fix).toContain('line 4');
    expect(configError('{\n  // a comment\n  "project": "apex"\n}\n', 'apex.config.json').message).toMatch(/^apex\.config\.json:2: not valid JSON/);
    expect(parseConfigText('{\n  "project": "apex",\n  "runtime": "external"\n}\n', 'apex.config.json').runtime).toBe('external');
  });

  it('still finds the line of a schema error in a .json config', () => {
    expect(configError('{\n  "project": "apex",\n  "runtime": "podman"\n}\n', 'apex.config.json').message).toBe(
      'apex.config.json:3: runtime: expected one of "docker", "external", got "podman"',
    );
  });

  it('says that --config names a directory, and which file to pass instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-config-'));
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const rejected = (configFile: string) => {
      try {
        loadConfig({ cwd: dir, configFile, processEnv: {} });
      } catch (error) {
        expect(error).toBeInstanceOf(ApexError);
        return error as ApexError;
      }
      throw new Error('expected the config path to be rejected');
    };
    const error = rejected('empty');
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2, message: `Config file ${empty} is a directory, not a file.` });
    expect(error.fix).toContain('apex.config.yaml');
    const withConfig = join(dir, 'project');
    mkdirSync(withConfig);
    writeFileSync(join(withConfig, 'apex.config.yaml'), 'project: apex\n');
    expect(rejected('project').fix).toBe(`Pass the config file inside it: --config ${join(withConfig, 'apex.config.yaml')}.`);
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

  it("resolves the project's schema files beside the config file; a missing one is named with its key and line, exit code 2", () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-schema-'));
    mkdirSync(join(dir, 'schemas'));
    writeFileSync(join(dir, 'schemas', 'postgres_schema.sql'), 'SELECT 1;');
    const file = join(dir, 'apex.config.yaml');
    const text = 'schema:\n  postgres: [schemas/postgres_schema.sql]\n  neo4j:\n    - schemas/neo4j_schema.cypher\n';
    const error = configError(text, file);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `${file}:4: schema.neo4j.0: schemas/neo4j_schema.cypher does not exist (looked for ${join(dir, 'schemas', 'neo4j_schema.cypher')})`,
    );
    writeFileSync(join(dir, 'schemas', 'neo4j_schema.cypher'), 'RETURN 1;');
    expect(parseConfigText(text, file).schema).toEqual({ postgres: ['schemas/postgres_schema.sql'], neo4j: ['schemas/neo4j_schema.cypher'] });
  });

  it('names an unknown store under schema, and a file of the wrong kind, exit code 2', () => {
    const unknown = configError('schema:\n  mysql: [schema.sql]\n');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toBe('apex.config.yaml:2: schema: unknown key "mysql"; expected one of "postgres", "neo4j", "qdrant", "s3"');
    expect(configError('schema:\n  neo4j: [schema.sql]\n').message).toBe('apex.config.yaml:2: schema.neo4j.0: expected a file whose name ends in .cypher');
  });

  it('accepts the shipped template', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../../templates/apex.config.yaml', import.meta.url), 'utf8');
    expect(parseConfigText(text, 'templates/apex.config.yaml').project).toBe('apex');
  });
});
