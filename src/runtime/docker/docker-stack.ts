import type { ServiceName } from '../../config/schema.js';
import { ApexError, errorMessage } from '../../errors.js';
import { LABELS, MANAGED_BY, networkName, projectFilter } from '../labels.js';
import type { ContainerPlan } from './container-plan.js';
import type { ContainerSummary, EngineClient } from './engine-client.js';

export type ContainerChange = 'unchanged' | 'started' | 'created' | 'recreated';

export interface TeardownResult {
  containers: string[];
  volumes: string[];
  networks: string[];
}

const projectLabels = (project: string): Record<string, string> => ({
  [LABELS.composeProject]: project,
  [LABELS.managedBy]: MANAGED_BY,
});

/** One project's containers, network and volumes on the engine. Everything it creates carries the project label. */
export class DockerStack {
  constructor(
    readonly engine: EngineClient,
    readonly project: string,
  ) {}

  async containers(): Promise<Map<ServiceName, ContainerSummary>> {
    const list = await this.engine.containers.list({ all: true, filters: projectFilter(this.project) });
    return new Map(list.map((info) => [info.labels[LABELS.composeService] as ServiceName, info]));
  }

  async ensureNetwork(): Promise<void> {
    const name = networkName(this.project);
    const existing = await this.engine.networks.list({ name: [name] });
    if (existing.some((network) => network.name === name)) return;
    await ignoreConflict(() => this.engine.networks.create({ name, labels: { ...projectLabels(this.project), [LABELS.composeNetwork]: 'default' } }));
  }

  async ensureVolumes(plan: ContainerPlan): Promise<void> {
    for (const mount of plan.volumes) {
      const short = mount.slice(this.project.length + 1);
      await ignoreConflict(() => this.engine.volumes.create({ name: mount, labels: { ...projectLabels(this.project), [LABELS.composeVolume]: short } }));
    }
  }

  /**
   * Brings one container to its plan. An existing one whose config hash matches is left alone (or just started);
   * one whose definition changed is replaced; volumes are never touched here.
   */
  async realise(plan: ContainerPlan, existing: ContainerSummary | undefined): Promise<ContainerChange> {
    if (existing && existing.labels[LABELS.configHash] === plan.configHash) {
      if (existing.state === 'running') return 'unchanged';
      await this.start(plan, existing.id);
      return 'started';
    }
    if (existing) await this.engine.containers.remove(existing.id, { force: true, volumes: false });
    await this.ensureVolumes(plan);
    await this.start(plan, await this.create(plan));
    return existing ? 'recreated' : 'created';
  }

  /** Returns the new container's id. */
  private async create(plan: ContainerPlan): Promise<string> {
    try {
      return await this.engine.containers.create(plan.createOptions);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      throw new ApexError(
        'CONTAINER_NAME_TAKEN',
        `A container named ${plan.name} already exists but is not part of project ${this.project}.`,
        `Remove it (\`docker rm -f ${plan.name}\`), or choose another \`project:\` in apex.config.yaml.`,
      );
    }
  }

  private async start(plan: ContainerPlan, id: string): Promise<void> {
    try {
      await this.engine.containers.start(id);
    } catch (error) {
      // 304: the engine was still starting it for an `up` interrupted by Ctrl-C; it is running now.
      if ((error as { statusCode?: number }).statusCode === 304) return;
      const message = errorMessage(error);
      if (!/port is already allocated|address already in use/i.test(message)) throw error;
      const ports = plan.ports.map((port) => `${port.bindAddress}:${port.host}`).join(', ');
      throw new ApexError(
        'PORT_IN_USE',
        `${plan.service.name} could not publish ${ports}: ${message.split('\n')[0]}`,
        `Free the port (\`apex doctor\` names its holder), or set \`services.${plan.service.name}.ports\` in apex.config.yaml.`,
      );
    }
  }

  /**
   * Removes every container of the project (by label) and its network. With `volumes` (the names the stack's
   * definitions mount) it also removes those volumes, labelled or not (made by hand, or by compose without apex's
   * labels), and any other volume labelled with the project; the names it actually removed are returned.
   */
  async teardown(options: { volumes: false | readonly string[] }): Promise<TeardownResult> {
    const filters = projectFilter(this.project);
    const { containers: containerClient, networks: networkClient, volumes: volumeClient } = this.engine;
    const containers = await containerClient.list({ all: true, filters });
    await Promise.all(
      containers.map(async (info) => {
        if (info.state === 'running') await containerClient.stop(info.id, { timeoutSeconds: 10 }).catch(ignoreNotRunning);
        await containerClient.remove(info.id, { force: true, volumes: false });
      }),
    );
    const networks = await networkClient.list(filters);
    for (const network of networks) await networkClient.remove(network.id);
    const volumes: string[] = [];
    if (options.volumes) {
      const labelled = (await volumeClient.list(filters)).map((volume) => volume.name);
      for (const name of new Set([...options.volumes, ...labelled])) {
        if (await this.removeVolume(name)) volumes.push(name);
      }
    }
    return {
      containers: containers.map((info) => info.name),
      networks: networks.map((network) => network.name),
      volumes,
    };
  }

  /** False when there is no such volume. */
  private async removeVolume(name: string): Promise<boolean> {
    try {
      await this.engine.volumes.remove(name);
      return true;
    } catch (error) {
      const statusCode = (error as { statusCode?: number }).statusCode;
      if (statusCode === 404) return false;
      if (statusCode !== 409) throw error;
      throw new ApexError(
        'VOLUME_IN_USE',
        `Volume ${name} of project ${this.project} is in use by a container outside the project: ${errorMessage(error).split('\n')[0]}`,
        `Find it with \`docker ps -a --filter volume=${name}\`, remove it, then run \`apex down --volumes --yes\` again.`,
      );
    }
  }
}

async function ignoreConflict(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
  }
}

function ignoreNotRunning(error: unknown): void {
  if ((error as { statusCode?: number }).statusCode !== 304) throw error;
}
