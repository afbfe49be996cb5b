import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { generatedEnv, readCredentials } from '../../../src/config/credentials.js';
import { configSchema } from '../../../src/config/schema.js';
import { ApexError } from '../../../src/errors.js';
import { openStoreClients } from '../../../src/ingestion/worker-dependencies.js';

/** A port nothing listens on: taken from the kernel, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('openStoreClients (apex worker, phase 2D)', () => {
  it('answers a Redis that is down with STORE_UNREACHABLE naming its address and the fix, and prints nothing raw', async () => {
    const port = await closedPort();
    const stack = {
      config: configSchema.parse({ services: { redis: { ports: { redis: port } } } }),
      credentials: readCredentials(generatedEnv(), '.env'),
      projectDir: '/srv/app',
      templatesDir: '/tmp',
      env: {},
    };
    const printed = vi.spyOn(console, 'error');
    try {
      const error = await openStoreClients(stack, {}).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ApexError);
      expect((error as ApexError).code).toBe('STORE_UNREACHABLE');
      expect((error as ApexError).message).toBe(
        `Cannot connect to redis at 127.0.0.1:${port} (services.redis in apex.config.yaml): redis: connection refused on 127.0.0.1:${port}.`,
      );
      expect((error as ApexError).fix).toBe('redis is not running: `apex up --only redis`. `apex status` shows which services are up and answering.');
      // ioredis prints "[ioredis] Unhandled error event" for an 'error' event nobody listens to.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });
});
