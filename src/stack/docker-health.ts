import type { ContainerClient } from '../runtime/docker/engine-client.js';
import { containerName } from '../runtime/labels.js';
import type { HealthProbe } from '../runtime/wait-healthy.js';
import { checkHealth } from '../services/health.js';
import type { StackContext } from '../services/service.js';

/**
 * A service in a container is healthy when the container runs, docker's own health check (where the image has one)
 * says healthy, and apex's real-client probe answers. An exited container is fatal: waiting cannot help; so is a
 * password the server refuses (see waitUntilHealthy).
 */
export function dockerHealthProbe(containers: ContainerClient, ctx: StackContext): HealthProbe {
  return async (service) => {
    const info = await containers.inspect(containerName(ctx.config.project, service.name));
    if (!info.running) {
      const error = info.error ? `: ${info.error}` : '';
      return { ok: false, fatal: true, detail: `container exited with code ${info.exitCode}${error}` };
    }
    const health = info.health;
    if (health && health.status !== 'healthy') {
      const last = health.lastCheck;
      const output = last ? ` (exit ${last.exitCode}: ${last.output.trim().split('\n').slice(-3).join(' / ') || 'no output'})` : '';
      return { ok: false, detail: `docker health check: ${health.status}${output}` };
    }
    const [result] = await checkHealth(ctx, [service], { timeoutMs: 2_000 });
    if (result.ok) return { ok: true, detail: result.detail ?? 'healthy' };
    if (result.rejectedKey) return { ok: false, detail: result.error ?? 'credentials rejected', rejected: { key: result.rejectedKey, fix: result.fix ?? '' } };
    return { ok: false, detail: `probe: ${result.error ?? 'unhealthy'}${result.fix ? ` (${result.fix})` : ''}` };
  };
}
