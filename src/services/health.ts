import { createConnection } from 'node:net';
import { resolveEndpoint } from './catalog.js';
import type { ServiceDefinition, ServiceName, StackContext } from './service.js';

// PLACEHOLDER written by the runtime lane so that `apex up/status` compile; the stores engineer replaces the body
// with real-client probes. Keep the exported signature.
export interface HealthResult {
  service: ServiceName;
  ok: boolean;
  latencyMs: number;
  version?: string;
  detail?: string;
  error?: string;
  fix?: string;
}

export async function checkHealth(
  stack: StackContext,
  services: ServiceDefinition[],
  options: { timeoutMs?: number } = {},
): Promise<HealthResult[]> {
  return Promise.all(
    services.map(async (service) => {
      const endpoint = resolveEndpoint(stack.config, service);
      const port = Object.values(endpoint.ports)[0];
      const started = Date.now();
      const error = await tcpConnect(endpoint.host, port, options.timeoutMs ?? 2_000);
      return {
        service: service.name,
        ok: error === undefined,
        latencyMs: Date.now() - started,
        detail: error ? undefined : `tcp ${endpoint.host}:${port} accepts connections`,
        error,
        fix: error ? `Start ${service.name} (\`apex up\`) or check services.${service.name} in apex.config.yaml.` : undefined,
      };
    }),
  );
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.end();
      resolve(undefined);
    });
    socket.once('error', (error) => resolve(error.message));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer from ${host}:${port} within ${timeoutMs} ms`);
    });
  });
}
