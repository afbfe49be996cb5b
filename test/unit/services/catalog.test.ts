import { describe, expect, it } from 'vitest';
import { CREDENTIAL_KEYS, generatedEnv, readCredentials, secretValues } from '../../../src/config/credentials.js';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { SERVICE_SPECS, type CredentialSpec } from '../../../src/config/service-specs.js';
import { ApexError } from '../../../src/errors.js';
import { SERVICES, dependencyWaves, resolveEndpoint, selectServices, serviceByName } from '../../../src/services/catalog.js';
import { MINIO_IMAGE } from '../../../src/services/s3/definition.js';
import type { StackContext } from '../../../src/services/service.js';

const names = (services: readonly { name: string }[]): string[] => services.map((service) => service.name);
const defaults = configSchema.parse({});

describe('service selection', () => {
  it('starts core by default, in catalog order', () => {
    expect(names(selectServices(defaults))).toEqual(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);
  });

  it('adds a profile from the flag or from config', () => {
    const fromFlag = names(selectServices(defaults, { profiles: ['observability'] }));
    const fromConfig = names(selectServices(configSchema.parse({ profiles: ['observability'] })));
    expect(fromFlag).toEqual(fromConfig);
    expect(fromFlag).toEqual(expect.arrayContaining(['prometheus', 'grafana', 'alertmanager']));
  });

  it('--only picks exactly those services plus what they depend on', () => {
    expect(names(selectServices(defaults, { only: ['postgres', 'redis'] }))).toEqual(['postgres', 'redis']);
    expect(names(selectServices(defaults, { only: ['grafana'] })).sort()).toEqual(['alertmanager', 'grafana', 'prometheus', 'temporal']);
  });

  it('rejects an unknown service with the list of known ones', () => {
    const error = (() => {
      try {
        serviceByName('mongo');
      } catch (caught) {
        return caught as ApexError;
      }
      throw new Error('expected an error');
    })();
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('Unknown service "mongo".');
    expect(error.fix).toContain('postgres');
  });
});

describe('dependency waves', () => {
  it('puts every service after its dependencies, and independent ones together', () => {
    const waves = dependencyWaves(SERVICES).map(names);
    expect(waves[0]).toEqual(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3', 'alertmanager']);
    expect(waves[1]).toEqual(['prometheus']);
    expect(waves[2]).toEqual(['grafana']);
  });

  it('ignores dependencies that are not selected (they are assumed to run already)', () => {
    expect(dependencyWaves([serviceByName('grafana')]).map(names)).toEqual([['grafana']]);
  });
});

describe('endpoints', () => {
  it('uses config port overrides and the bind address (0.0.0.0 is reached on loopback)', () => {
    const config = configSchema.parse({ bindAddress: '0.0.0.0', services: { temporal: { ports: { grpc: 17233 } } } });
    expect(resolveEndpoint(config, serviceByName('temporal'))).toMatchObject({ host: '127.0.0.1', ports: { grpc: 17233, ui: 8233, metrics: 9000 } });
  });
});

describe('service definitions', () => {
  const stack = (config: ConfigInput): StackContext => ({
    config: configSchema.parse(config),
    credentials: readCredentials(generatedEnv(), '.env'),
    env: {},
    projectDir: '/p',
    templatesDir: '/t',
  });

  it("run the spec's default image, or services.<name>.image for every service and every s3 provider", () => {
    for (const service of SERVICES) {
      expect(service.container(stack({})).image, service.name).toBe(service.defaultImage);
      expect(service.container(stack({ services: { [service.name]: { image: `mirror/${service.name}:1` } } })).image, service.name).toBe(
        `mirror/${service.name}:1`,
      );
    }
    expect(serviceByName('s3').container(stack({ services: { s3: { provider: 'minio' } } })).image).toBe(MINIO_IMAGE);
    expect(serviceByName('s3').container(stack({ services: { s3: { provider: 'minio', image: 'mirror/minio:1' } } })).image).toBe('mirror/minio:1');
  });

  it("take the contract's image and environment for what its worker's code needs; services.<name>.image still wins", () => {
    const postgres = serviceByName('postgres');
    const neo4j = serviceByName('neo4j');
    expect(postgres.container(stack({ contract: 'apex-memory' })).image).toBe('pgvector/pgvector:pg17');
    expect(postgres.container(stack({ contract: 'apex-memory', services: { postgres: { image: 'apex-local/postgres:17' } } })).image).toBe(
      'apex-local/postgres:17',
    );
    const apexMemoryNeo4j = neo4j.container(stack({ contract: 'apex-memory' }));
    expect(apexMemoryNeo4j.image).toBe(neo4j.defaultImage);
    expect(apexMemoryNeo4j.env).toMatchObject({
      NEO4J_PLUGINS: '["apoc"]',
      NEO4J_dbms_security_procedures_unrestricted: 'apoc.*',
      NEO4J_AUTH: expect.stringMatching(/^neo4j\//),
    });
    const reference = neo4j.container(stack({}));
    expect(reference.env).not.toHaveProperty('NEO4J_PLUGINS');
    expect(postgres.container(stack({})).image).toBe('postgres:16-alpine');
    expect(
      postgres.container(stack({ contract: { use: 'reference', stack: { postgres: { image: 'mine/pg:1', env: { POSTGRES_INITDB_ARGS: '-k' } } } } })),
    ).toMatchObject({ image: 'mine/pg:1', env: { POSTGRES_INITDB_ARGS: '-k', POSTGRES_USER: 'apex' } });
  });

  it('read every .env key some service declares, and redact the generated ones and the Qdrant API key', () => {
    expect(Object.values(CREDENTIAL_KEYS).sort()).toEqual(
      SERVICES.flatMap((service) =>
        Object.values(SERVICE_SPECS[service.name].credentials as Record<string, CredentialSpec>).map((credential) => credential.key),
      ).sort(),
    );
    const credentials = readCredentials({ ...generatedEnv(), QDRANT_API_KEY: 'qdrant-key' }, '.env');
    expect(secretValues(credentials).sort()).toEqual(
      [credentials.postgresPassword, credentials.neo4jPassword, credentials.redisPassword, credentials.grafanaPassword, 'qdrant-key'].sort(),
    );
  });
});
