import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ApexError } from '../../../src/errors.js';
import { SERVICES, dependencyWaves, resolveEndpoint, selectServices, serviceByName } from '../../../src/services/catalog.js';

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
