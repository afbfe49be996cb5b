import type Docker from 'dockerode';
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
export async function sweepEphemeralLeftovers(docker: Docker, now: number): Promise<number> {
  const filters = { label: [LABELS.ephemeralOwnerPid] };
  const containers = await docker.listContainers({ all: true, filters });
  const staleContainers = selectLeftovers(
    containers.map((info) => ({ id: info.Id, createdMs: info.Created * 1000, labels: info.Labels })),
    now,
    pidIsAlive,
  );
  await Promise.all(staleContainers.map((id) => docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined)));
  const networks = await docker.listNetworks({ filters });
  const staleNetworks = selectLeftovers(
    networks.map((info) => ({ id: info.Id, createdMs: Date.parse(info.Created), labels: info.Labels ?? {} })),
    now,
    pidIsAlive,
  );
  await Promise.all(staleNetworks.map((id) => docker.getNetwork(id).remove().catch(() => undefined)));
  return staleContainers.length + staleNetworks.length;
}
