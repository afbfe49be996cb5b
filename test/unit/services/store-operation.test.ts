import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedEnv, readCredentials } from '../../../src/config/credentials.js';
import { configSchema } from '../../../src/config/schema.js';
import { serviceByName } from '../../../src/services/catalog.js';
import { storeEntry, type ServiceDefinition, type StackContext } from '../../../src/services/service.js';
import { runOnStore } from '../../../src/services/store-operation.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const stack = (runtime: 'docker' | 'external'): StackContext => ({
  config: configSchema.parse({ runtime, services: { redis: { ports: { redis: port } } } }),
  credentials: readCredentials(generatedEnv(), '.env'),
  env: {},
  projectDir: '/p',
  templatesDir: '/t',
});
const redisProbing = (probe: ServiceDefinition['operations']['load']): ServiceDefinition => ({
  ...serviceByName('redis'),
  operations: { capabilities: [], load: probe },
});

describe('runOnStore', () => {
  it('returns the operation’s value once the store is reachable', async () => {
    const service = redisProbing(storeEntry([], async () => ({ probe: async () => ({ version: '7.4' }) })).load);
    const outcome = await runOnStore(stack('docker'), service, (ctx, operations) => operations.probe(ctx));
    expect(outcome).toMatchObject({ ok: true, value: { version: '7.4' } });
  });

  it('gives up a store that does not answer in time, aborting the operation, with a fix for the runtime', async () => {
    let aborted = false;
    const service = redisProbing(async () => ({
      probe: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(((aborted = true), ctx.signal.reason)))),
    }));
    const docker = await runOnStore(stack('docker'), service, (ctx, operations) => operations.probe(ctx), 100);
    expect(docker).toMatchObject({ ok: false, diagnosis: { error: 'redis: no answer within 100 ms', fix: expect.stringContaining('apex logs redis') } });
    expect(aborted).toBe(true);
    const external = await runOnStore(stack('external'), service, (ctx, operations) => operations.probe(ctx), 100);
    expect(external).toMatchObject({ ok: false, diagnosis: { fix: `Check that the redis server answers at 127.0.0.1:${port}.` } });
  });

  it('diagnoses a refused connection before the client is used', async () => {
    let used = false;
    const closed = { ...stack('docker'), config: configSchema.parse({ services: { redis: { ports: { redis: 1 } } } }) };
    const outcome = await runOnStore(closed, serviceByName('redis'), async () => (used = true));
    expect(outcome.ok).toBe(false);
    expect(used).toBe(false);
  });
});
