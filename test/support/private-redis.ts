import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { createPortAllocator } from '../../src/runtime/ports.js';

export interface PrivateRedis {
  port: number;
  /** Keys the server holds now; 0 once it is gone. */
  keys(): Promise<number>;
  /** SIGKILL, the way a crash ends it; resolves once the process has exited. */
  kill(): Promise<void>;
}

/**
 * A redis-server of this test's own on a free loopback port (or `onPort`, to bring a killed one back), with the CI
 * password and no persistence, so that a test can kill a store mid-phase without disturbing the shared one.
 */
export async function startPrivateRedis(onPort?: number): Promise<PrivateRedis> {
  const port = onPort ?? (await createPortAllocator().freePort());
  const password = process.env.REDIS_PASSWORD ?? '';
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(password ? ['--requirepass', password] : [])],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const client = new Redis({ host: '127.0.0.1', port, password: password || undefined, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  const keys = async (): Promise<number> => {
    if (client.status !== 'ready') await client.connect().catch(() => undefined);
    return client.status === 'ready' ? client.dbsize().catch(() => 0) : 0;
  };
  for (let attempt = 0; ; attempt++) {
    if ((await keys()) >= 0 && client.status === 'ready') break;
    if (attempt > 50) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    keys,
    kill: async () => {
      client.disconnect();
      child.kill('SIGKILL');
      await exited;
    },
  };
}
