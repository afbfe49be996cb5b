import type Docker from 'dockerode';
import type { ServiceName } from '../../config/schema.js';
import { ApexError, errorMessage } from '../../errors.js';
import { LABELS, MANAGED_BY, networkName, projectFilter } from '../labels.js';
import type { ContainerPlan } from './container-plan.js';

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
    readonly docker: Docker,
    readonly project: string,
  ) {}

  async containers(): Promise<Map<ServiceName, Docker.ContainerInfo>> {
    const list = await this.docker.listContainers({ all: true, filters: projectFilter(this.project) });
    return new Map(list.map((info) => [info.Labels[LABELS.composeService] as ServiceName, info]));
  }

  async ensureNetwork(): Promise<void> {
    const name = networkName(this.project);
    const existing = await this.docker.listNetworks({ filters: { name: [name] } });
    if (existing.some((network) => network.Name === name)) return;
    await ignoreConflict(() =>
      this.docker.createNetwork({
        Name: name,
        CheckDuplicate: true,
        Labels: { ...projectLabels(this.project), [LABELS.composeNetwork]: 'default' },
      }),
    );
  }

  async ensureVolumes(plan: ContainerPlan): Promise<void> {
    for (const mount of plan.volumes) {
      const short = mount.slice(this.project.length + 1);
      await ignoreConflict(() =>
        this.docker.createVolume({ Name: mount, Labels: { ...projectLabels(this.project), [LABELS.composeVolume]: short } }),
      );
    }
  }

  /**
   * Brings one container to its plan. An existing one whose config hash matches is left alone (or just started);
   * one whose definition changed is replaced; volumes are never touched here.
   */
  async realise(plan: ContainerPlan, existing: Docker.ContainerInfo | undefined): Promise<ContainerChange> {
    if (existing && existing.Labels[LABELS.configHash] === plan.configHash) {
      if (existing.State === 'running') return 'unchanged';
      await this.start(plan, this.docker.getContainer(existing.Id));
      return 'started';
    }
    if (existing) await this.docker.getContainer(existing.Id).remove({ force: true });
    await this.ensureVolumes(plan);
    const container = await this.create(plan);
    await this.start(plan, container);
    return existing ? 'recreated' : 'created';
  }

  private async create(plan: ContainerPlan): Promise<Docker.Container> {
    try {
      return await this.docker.createContainer(plan.createOptions);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      throw new ApexError(
        'CONTAINER_NAME_TAKEN',
        `A container named ${plan.name} already exists but is not part of project ${this.project}.`,
        `Remove it (\`docker rm -f ${plan.name}\`), or choose another \`project:\` in apex.config.yaml.`,
      );
    }
  }

  private async start(plan: ContainerPlan, container: Docker.Container): Promise<void> {
    try {
      await container.start();
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

  /** Removes every container of the project (by label), its network, and with `volumes` its named volumes. */
  async teardown(options: { volumes: boolean }): Promise<TeardownResult> {
    const filters = projectFilter(this.project);
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map(async (info) => {
        const container = this.docker.getContainer(info.Id);
        if (info.State === 'running') await container.stop({ t: 10 }).catch(ignoreNotRunning);
        await container.remove({ force: true, v: false });
      }),
    );
    const networks = await this.docker.listNetworks({ filters });
    for (const network of networks) await this.docker.getNetwork(network.Id).remove();
    const volumes = options.volumes ? ((await this.docker.listVolumes({ filters })).Volumes ?? []) : [];
    for (const volume of volumes) await this.docker.getVolume(volume.Name).remove();
    return {
      containers: containers.map((info) => info.Names[0]?.replace(/^\//, '') ?? info.Id),
      networks: networks.map((network) => network.Name),
      volumes: volumes.map((volume) => volume.Name),
    };
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
