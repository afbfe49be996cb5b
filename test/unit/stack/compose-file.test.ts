import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../../src/config/schema.js';
import { COMPOSE_FILE, renderCompose } from '../../../src/stack/compose-file.js';

const defaults = configSchema.parse({});
const committed = readFileSync(new URL(`../../../${COMPOSE_FILE}`, import.meta.url), 'utf8');

interface ComposeService {
  image: string;
  environment?: Record<string, string>;
  ports?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
  volumes?: string[];
}

describe('compose/docker-compose.yml', () => {
  it('has not drifted from the service definitions (run `apex compose export` after changing them)', () => {
    expect(committed).toBe(renderCompose(defaults));
  });

  const compose = parse(committed) as { name?: string; services: Record<string, ComposeService>; volumes: Record<string, object> };

  it('never contains a secret literal: generated passwords are required variable references', () => {
    expect(compose.services.postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(compose.services.redis.environment?.REDIS_PASSWORD).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    expect(compose.services.neo4j.environment?.NEO4J_AUTH).toMatch(/^\$\{NEO4J_USER:-neo4j\}\/\$\{NEO4J_PASSWORD:\?/);
    expect(compose.services.s3.environment?.LOCALSTACK_AUTH_TOKEN).toBe('${LOCALSTACK_AUTH_TOKEN:-}');
  });

  it('does not copy LOCALSTACK_AUTH_TOKEN from the environment it is rendered in', () => {
    process.env.LOCALSTACK_AUTH_TOKEN = 'ls-secret-token';
    try {
      expect(renderCompose(defaults)).not.toContain('ls-secret-token');
    } finally {
      delete process.env.LOCALSTACK_AUTH_TOKEN;
    }
  });

  it('publishes ports on 127.0.0.1, quoted, and escapes $ in commands read by the container shell', () => {
    expect(compose.services.postgres.ports).toEqual(['127.0.0.1:5432:5432']);
    expect(committed).toContain('- "127.0.0.1:5432:5432"');
    expect(compose.services.redis.command?.join(' ')).toContain('"$$REDIS_PASSWORD"');
    expect(compose.services.postgres.healthcheck?.test[1]).toContain('$$POSTGRES_USER');
  });

  it('names the project with -p in its usage, not with a top-level name: that docker-compose 1.29 rejects', () => {
    expect(compose.name).toBeUndefined();
    expect(committed).toContain('# Usage: docker compose -p apex --env-file .env -f compose/docker-compose.yml [--profile observability] up -d\n');
    expect(renderCompose(configSchema.parse({ project: 'team-x' }))).toContain('docker compose -p team-x --env-file .env');
  });

  it('puts observability services in their profile, with dependencies and named volumes', () => {
    expect(compose.services.grafana.profiles).toEqual(['observability']);
    expect(compose.services.postgres.profiles).toBeUndefined();
    expect(compose.services.prometheus.depends_on).toEqual({
      temporal: { condition: 'service_started' },
      alertmanager: { condition: 'service_started' },
    });
    expect(compose.services.prometheus.volumes).toContain('../templates/prometheus:/etc/prometheus:ro');
    expect(Object.keys(compose.volumes)).toContain('postgres-data');
  });

  it('renders config overrides: image, port and bind address', () => {
    const config = configSchema.parse({ bindAddress: '0.0.0.0', services: { postgres: { image: 'mirror/pg:16', ports: { postgres: 15432 } } } });
    const custom = parse(renderCompose(config)) as { services: Record<string, ComposeService> };
    expect(custom.services.postgres.image).toBe('mirror/pg:16');
    expect(custom.services.postgres.ports).toEqual(['0.0.0.0:15432:5432']);
  });
});
