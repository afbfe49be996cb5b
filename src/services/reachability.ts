import { createConnection } from 'node:net';
import type { StoreContext } from './operations.js';

/**
 * A plain TCP connect to the service's first port before its client is used. Client libraries retry a refused
 * connection until their own deadline (Temporal 5 s, Neo4j up to 30 s); this fails in milliseconds with the socket's
 * own error (ECONNREFUSED, ENOTFOUND, ETIMEDOUT), which the diagnosis turns into the fix.
 */
export function assertReachable(ctx: StoreContext, timeoutMs = 2_000): Promise<void> {
  const port = Object.values(ctx.endpoint.ports)[0];
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: ctx.endpoint.host, port, timeout: timeoutMs, signal: ctx.signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
    socket.once('timeout', () => {
      socket.destroy();
      reject(Object.assign(new Error(`connect ETIMEDOUT ${ctx.endpoint.host}:${port}`), { code: 'ETIMEDOUT' }));
    });
  });
}
