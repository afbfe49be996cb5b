import type { ServiceName } from '../../config/schema.js';
import { LABELS, MANAGED_BY } from '../labels.js';
import { lastLogLines } from './container-logs.js';
import type { ContainerPlan } from './container-plan.js';
import type { EngineClient } from './engine-client.js';

/** Data in a volume that the service's image cannot use, as its definition's check describes it. */
export interface UnusableVolume {
  service: ServiceName;
  volume: string;
  found: string;
}

/**
 * Runs the definition's check of each existing data volume in a throwaway container of the service's own image (no
 * network, removed afterwards). A fresh volume has nothing to check; a check that fails to run says nothing.
 */
export async function unusableVolumes(engine: EngineClient, plan: ContainerPlan): Promise<UnusableVolume[]> {
  const found: UnusableVolume[] = [];
  for (const check of plan.volumeChecks) {
    const existing = await engine.volumes.list({ name: [check.volume] });
    if (!existing.some((volume) => volume.name === check.volume)) continue;
    const id = await engine.containers.create({
      Image: plan.image,
      Entrypoint: ['sh', '-c', check.script, 'sh', check.target],
      Labels: { [LABELS.managedBy]: MANAGED_BY },
      HostConfig: { Binds: [`${check.volume}:${check.target}`], NetworkMode: 'none' },
    });
    try {
      await engine.containers.start(id);
      const exitCode = await engine.containers.wait(id);
      const [line] = exitCode === 0 ? await lastLogLines(engine.containers, id, 1) : [];
      if (line) found.push({ service: plan.service.name, volume: check.volume, found: line.trim() });
    } finally {
      await engine.containers.remove(id, { force: true, volumes: false });
    }
  }
  return found;
}
