import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadStack, type LoadedStack } from '../../src/config/stack-context.js';
import type { ServiceName } from '../../src/config/schema.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { skipOrFail } from './docker-gate.js';

/**
 * A stack context for the real servers that test/provision/provision.sh starts (external runtime,
 * default ports, credentials from the environment: `set -a; . /var/tmp/apex-servers/ci.env`), in a project
 * directory that holds `files` (by path relative to it) beside the config.
 */
export function externalStack(configYaml = '', files: Record<string, string> = {}): LoadedStack {
  const dir = mkdtempSync(join(tmpdir(), 'apex-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'apex.config.yaml'), `runtime: external\n${configYaml}`);
  // Grafana is not among the CI servers and ci.env has no password for it: on the external runtime that means none.
  return loadStack({ cwd: dir });
}

const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1_000 });
    socket.once('connect', () => resolve(socket.end() && true));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(socket.destroy() && false));
  });

/**
 * Why integration tests for these services cannot run here, or undefined when they can.
 * In CI a missing server is a failure, never a skip; on a laptop the reason is printed and the tests skip.
 */
export async function missingServers(names: readonly ServiceName[]): Promise<string | undefined> {
  let reason: string | undefined;
  if (!process.env.POSTGRES_PASSWORD) {
    reason = 'server credentials are not in the environment (run `set -a; . /var/tmp/apex-servers/ci.env`)';
  } else {
    const { config } = externalStack();
    for (const name of names) {
      const endpoint = resolveEndpoint(config, serviceByName(name));
      const port = Object.values(endpoint.ports)[0];
      if (!(await reachable(endpoint.host, port))) {
        reason = `${name} is not reachable on ${endpoint.host}:${port} (run test/provision/provision.sh)`;
        break;
      }
    }
  }
  return skipOrFail(`integration tests for ${names.join(', ')}`, reason);
}
