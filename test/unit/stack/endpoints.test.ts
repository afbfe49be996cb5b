import { describe, expect, it } from 'vitest';
import { generatedEnv, readCredentials } from '../../../src/config/credentials.js';
import { configSchema } from '../../../src/config/schema.js';
import { serviceByName } from '../../../src/services/catalog.js';
import { serviceEndpoints } from '../../../src/stack/endpoints.js';
import { endpointRows } from '../../../src/ui/stack-views.js';

const credentials = readCredentials(generatedEnv(), '.env');
const stack = {
  config: configSchema.parse({ services: { postgres: { ports: { postgres: 25432 } } } }),
  credentials,
  env: {},
  projectDir: '.',
  templatesDir: '.',
};

describe('endpoints table', () => {
  it('lists URLs and UI links, with passwords masked', () => {
    const [postgres, temporal] = serviceEndpoints(stack, [serviceByName('postgres'), serviceByName('temporal')], false);
    expect(postgres).toEqual({
      service: 'postgres',
      urls: [{ name: 'postgres', url: 'postgresql://apex@127.0.0.1:25432/apex', ui: false }],
      credentials: { user: 'apex', password: '********', database: 'apex' },
    });
    expect(temporal.urls).toContainEqual({ name: 'ui', url: 'http://127.0.0.1:8233', ui: true });
    expect(temporal.urls).toContainEqual({ name: 'grpc', url: '127.0.0.1:7233', ui: false });
    expect(JSON.stringify(endpointRows([postgres, temporal]))).not.toContain(credentials.postgresPassword);
  });

  it("shows each service's own login details: S3 keys without the region, the Grafana admin password, a Qdrant API key once set", () => {
    const withKey = { ...stack, credentials: { ...credentials, qdrantApiKey: 'qdrant-key' } };
    const shown = serviceEndpoints(withKey, ['s3', 'grafana', 'qdrant', 'temporal'].map(serviceByName), false).map((endpoint) => endpoint.credentials);
    expect(shown).toEqual([{ 'access key': 'test', 'secret key': '********' }, { 'password (user admin)': '********' }, { 'api key': '********' }, {}]);
    expect(serviceEndpoints(stack, [serviceByName('qdrant')], true)[0].credentials).toEqual({});
  });

  it('shows the passwords with --show-secrets', () => {
    const [redis] = serviceEndpoints(stack, [serviceByName('redis')], true);
    expect(redis.credentials.password).toBe(credentials.redisPassword);
  });
});
