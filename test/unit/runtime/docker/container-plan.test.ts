import { describe, expect, it } from 'vitest';
import { generatedEnv, readCredentials } from '../../../../src/config/credentials.js';
import { configSchema, type ConfigInput } from '../../../../src/config/schema.js';
import { planContainer } from '../../../../src/runtime/docker/container-plan.js';
import { serviceByName } from '../../../../src/services/catalog.js';
import type { StackContext } from '../../../../src/services/service.js';

const credentials = readCredentials(generatedEnv(), '.env');
const stack = (config: ConfigInput = {}): StackContext => ({
  config: configSchema.parse(config),
  credentials,
  env: {},
  projectDir: '/project',
  templatesDir: '/apex/templates',
});

describe('planContainer', () => {
  it('names and labels the container the way docker compose does', () => {
    const plan = planContainer(stack({ project: 'demo' }), serviceByName('postgres'));
    expect(plan.name).toBe('demo-postgres-1');
    expect(plan.createOptions.Labels).toMatchObject({
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': 'postgres',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.container-number': '1',
      'dev.apex.managed-by': 'apex',
      'dev.apex.config-hash': plan.configHash,
    });
    expect(plan.createOptions.HostConfig?.NetworkMode).toBe('demo_default');
    expect(plan.createOptions.NetworkingConfig?.EndpointsConfig?.demo_default.Aliases).toEqual(['postgres']);
    expect(plan.createOptions.HostConfig?.Binds).toEqual(['demo_postgres-data:/var/lib/postgresql/data']);
    expect(plan.volumes).toEqual(['demo_postgres-data']);
  });

  it('publishes ports on the bind address, with config overrides', () => {
    const plan = planContainer(stack({ bindAddress: '127.0.0.1', services: { postgres: { ports: { postgres: 25432 } } } }), serviceByName('postgres'));
    expect(plan.createOptions.HostConfig?.PortBindings).toEqual({ '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '25432' }] });
    expect(plan.createOptions.ExposedPorts).toEqual({ '5432/tcp': {} });
  });

  it('converts the health check to nanoseconds', () => {
    const plan = planContainer(stack(), serviceByName('redis'));
    expect(plan.createOptions.Healthcheck).toMatchObject({ Interval: 2_000_000_000, Timeout: 3_000_000_000, Retries: 30, StartPeriod: 1_000_000_000 });
  });

  it('lets Prometheus and Alertmanager reach the worker and the webhook on the host, and no one else', () => {
    expect(planContainer(stack(), serviceByName('prometheus')).createOptions.HostConfig?.ExtraHosts).toEqual(['host.docker.internal:host-gateway']);
    expect(planContainer(stack(), serviceByName('postgres')).createOptions.HostConfig?.ExtraHosts).toBeUndefined();
  });

  it('keeps the hash stable for the same definition and changes it when the image or a port changes', () => {
    const postgres = serviceByName('postgres');
    const base = planContainer(stack(), postgres).configHash;
    expect(planContainer(stack(), postgres).configHash).toBe(base);
    expect(planContainer(stack({ services: { postgres: { image: 'apex-local/postgres:15' } } }), postgres).configHash).not.toBe(base);
    expect(planContainer(stack({ services: { postgres: { ports: { postgres: 15432 } } } }), postgres).configHash).not.toBe(base);
    expect(planContainer(stack({ services: { redis: { image: 'other' } } }), postgres).configHash).toBe(base);
  });

  it('never writes a secret into a label', () => {
    const plan = planContainer(stack(), serviceByName('postgres'));
    expect(JSON.stringify(plan.createOptions.Labels)).not.toContain(credentials.postgresPassword);
  });
});
