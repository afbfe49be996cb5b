import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The kernel's ephemeral port range, where outgoing connections take their local port (Linux only; undefined elsewhere). */
export function ephemeralPortRange(proc = '/proc'): { low: number; high: number } | undefined {
  try {
    const [low, high] = readFileSync(join(proc, 'sys/net/ipv4/ip_local_port_range'), 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && Number.isInteger(high) ? { low, high } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a listener could bind host:port right now: the same test the engine's port publishing faces. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const LOWEST_FREE_PORT = 20_000;

/** Hands out free loopback ports; one allocator never hands out the same port twice. */
export interface PortAllocator {
  freePort(host?: string): Promise<number>;
}

/**
 * Ports nothing holds on host, below the kernel's ephemeral range, for servers started right after: a port from
 * that range can be taken by any outgoing connection before the server binds it (this happened in CI). Share one
 * allocator between servers that start together: a port handed out but not yet bound still looks free.
 */
export function createPortAllocator(): PortAllocator {
  const handedOut = new Set<number>();
  return {
    async freePort(host = '127.0.0.1') {
      const below = Math.max(ephemeralPortRange()?.low ?? 32_768, LOWEST_FREE_PORT + 1024);
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const port = LOWEST_FREE_PORT + Math.floor(Math.random() * (below - LOWEST_FREE_PORT));
        if (handedOut.has(port)) continue;
        handedOut.add(port);
        if (await isPortFree(host, port)) return port;
      }
      throw new Error(`No free port on ${host} between ${LOWEST_FREE_PORT} and ${below}.`);
    },
  };
}
