import type { EngineClient } from './docker/engine-client.js';
import { LABELS } from './labels.js';

/** Every `--ephemeral` project is named so; its containers and network carry it as their project label. */
export const EPHEMERAL_PROJECT_PREFIX = 'apex-ephemeral-';

/** A run older than this is a leftover even if its pid is alive again (pids are reused). */
export const LEFTOVER_AGE_MS = 10 * 60_000;

export interface EphemeralResource {
  id: string;
  createdMs: number;
  labels: Record<string, string>;
}

/**
 * Which ephemeral containers or networks a killed run left behind: those of an ephemeral project whose owner is
 * dead (or unknown), or that are older than LEFTOVER_AGE_MS. A live run's fresh resources are never selected.
 */
export function selectLeftovers(resources: readonly EphemeralResource[], now: number, isAlive: (pid: number) => boolean): string[] {
  return resources
    .filter((resource) => (resource.labels[LABELS.composeProject] ?? '').startsWith(EPHEMERAL_PROJECT_PREFIX))
    .filter((resource) => {
      const pid = Number(resource.labels[LABELS.ephemeralOwnerPid]);
      return now - resource.createdMs > LEFTOVER_AGE_MS || !Number.isInteger(pid) || pid <= 0 || !isAlive(pid);
    })
    .map((resource) => resource.id);
}

export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what killed ephemeral runs left behind (containers first, then their networks); returns how many. */
export async function sweepEphemeralLeftovers(engine: EngineClient, now: number): Promise<number> {
  const filters = { label: [LABELS.ephemeralOwnerPid] };
  const staleContainers = selectLeftovers(await engine.containers.list({ all: true, filters }), now, pidIsAlive);
  await Promise.all(staleContainers.map((id) => engine.containers.remove(id, { force: true, volumes: true }).catch(() => undefined)));
  const staleNetworks = selectLeftovers(await engine.networks.list(filters), now, pidIsAlive);
  await Promise.all(staleNetworks.map((id) => engine.networks.remove(id).catch(() => undefined)));
  return staleContainers.length + staleNetworks.length;
}
