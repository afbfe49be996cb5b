import type Docker from 'dockerode';
import { containerName } from '../runtime/labels.js';
import type { HealthProbe } from '../runtime/wait-healthy.js';
import { checkHealth } from '../services/health.js';
import type { StackContext } from '../services/service.js';

/**
 * A service in a container is healthy when the container runs, docker's own health check (where the image has one)
 * says healthy, and apex's real-client probe answers. An exited container is fatal: waiting cannot help; so is a
 * password the server refuses (see waitUntilHealthy).
 */
export function dockerHealthProbe(docker: Docker, ctx: StackContext): HealthProbe {
  return async (service) => {
    const info = await docker.getContainer(containerName(ctx.config.project, service.name)).inspect();
    if (!info.State.Running) {
      const error = info.State.Error ? `: ${info.State.Error}` : '';
      return { ok: false, fatal: true, detail: `container exited with code ${info.State.ExitCode}${error}` };
    }
    const health = info.State.Health;
    if (health && health.Status !== 'healthy') {
      const last = health.Log?.at(-1);
      const output = last ? ` (exit ${last.ExitCode}: ${last.Output.trim().split('\n').slice(-3).join(' / ') || 'no output'})` : '';
      return { ok: false, detail: `docker health check: ${health.Status}${output}` };
    }
    const [result] = await checkHealth(ctx, [service], { timeoutMs: 2_000 });
    if (result.ok) return { ok: true, detail: result.detail ?? 'healthy' };
    if (result.rejectedKey) return { ok: false, detail: result.error ?? 'credentials rejected', rejected: { key: result.rejectedKey, fix: result.fix ?? '' } };
    return { ok: false, detail: `probe: ${result.error ?? 'unhealthy'}${result.fix ? ` (${result.fix})` : ''}` };
  };
}
