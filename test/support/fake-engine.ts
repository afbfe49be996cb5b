import { Readable } from 'node:stream';
import type { DockerEngine } from '../../src/runtime/docker/engine.js';
import type {
  ContainerClient,
  ContainerDetails,
  ContainerSummary,
  EngineClient,
  EngineFilters,
  ImageClient,
  NetworkClient,
  NetworkSummary,
  PullEvent,
  VolumeClient,
  VolumeSummary,
} from '../../src/runtime/docker/engine-client.js';

/** The fake as connectDocker's answer, for code that takes a connected engine. */
export const fakeDockerEngine = (client: FakeEngine): DockerEngine => ({
  client,
  endpoint: { uri: 'fake://engine', source: 'a unit test', options: {} },
  version: '28.0.0-fake',
  apiVersion: '1.48',
});

/** An error as the engine answers it: dockerode's message and the HTTP status. */
export const engineError = (statusCode: number, message: string): Error => Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode });

export interface FakeContainer extends ContainerSummary {
  image: string;
  logLines: string[];
  exitCode?: number;
  error?: string;
  health?: ContainerDetails['health'];
}

/** Operations a test can make fail once, by name. */
export type FakeOperation = 'containers.create' | 'containers.start' | 'containers.remove' | 'images.pull' | 'networks.create';

/**
 * A Docker Engine in memory, for unit tests: what apex creates, starts and removes lands in `containers`, `images`,
 * `networks` and `volumes`, and a test asserts on that state. Filters match labels (`key` or `key=value`) and names.
 */
export class FakeEngine implements EngineClient {
  readonly containers: ContainerClient & { all: Map<string, FakeContainer> };
  readonly images: ImageClient & { local: Set<string>; pullEvents: PullEvent[] };
  readonly networks: NetworkClient & { all: Map<string, NetworkSummary> };
  readonly volumes: VolumeClient & { all: Map<string, VolumeSummary> };
  /** What a container created from the image writes and its exit code, by image: a throwaway container's output. */
  readonly imageRuns = new Map<string, { logLines: string[]; exitCode: number }>();
  private readonly failures = new Map<FakeOperation, Error>();
  private nextId = 1;

  constructor(readonly now: () => number = () => Date.parse('2026-01-01T00:00:00Z')) {
    this.containers = this.containerClient();
    this.images = this.imageClient();
    this.networks = this.networkClient();
    this.volumes = this.volumeClient();
  }

  /** The next call of `operation` rejects with `error` (see engineError). */
  failNext(operation: FakeOperation, error: Error): this {
    this.failures.set(operation, error);
    return this;
  }

  /** A container as if another run had created it. */
  addContainer(container: Partial<FakeContainer> & Pick<FakeContainer, 'name'>): FakeContainer {
    const full: FakeContainer = {
      id: this.id(),
      state: 'running',
      labels: {},
      createdMs: this.now(),
      publishedPorts: [],
      image: 'image',
      logLines: [],
      ...container,
    };
    this.containers.all.set(full.id, full);
    return full;
  }

  async rootDir(): Promise<string | undefined> {
    return undefined;
  }

  private id(): string {
    return `fake${String(this.nextId++).padStart(8, '0')}`;
  }

  private failIfAsked(operation: FakeOperation): void {
    const error = this.failures.get(operation);
    if (!error) return;
    this.failures.delete(operation);
    throw error;
  }

  private container(idOrName: string): FakeContainer {
    const found = this.containers.all.get(idOrName) ?? [...this.containers.all.values()].find((container) => container.name === idOrName);
    if (!found) throw engineError(404, `no such container - No such container: ${idOrName}`);
    return found;
  }

  private containerClient(): FakeEngine['containers'] {
    const all = new Map<string, FakeContainer>();
    return {
      all,
      list: async ({ all: everything, filters }) =>
        [...all.values()].filter((container) => (everything || container.state === 'running') && matches(container, filters)).map(summary),
      inspect: async (idOrName) => {
        const container = this.container(idOrName);
        return {
          id: container.id,
          status: container.state,
          running: container.state === 'running',
          exitCode: container.exitCode ?? 0,
          error: container.error,
          startedAt: new Date(container.createdMs).toISOString(),
          image: container.image,
          labels: container.labels,
          health: container.health,
        };
      },
      create: async (options) => {
        this.failIfAsked('containers.create');
        const name = options.name ?? this.id();
        if ([...all.values()].some((container) => container.name === name)) throw engineError(409, `Conflict. The container name "/${name}" is already in use`);
        const ports = Object.values(options.HostConfig?.PortBindings ?? {}) as { HostPort?: string }[][];
        return this.addContainer({
          name,
          state: 'created',
          image: options.Image ?? '',
          ...this.imageRuns.get(options.Image ?? ''),
          labels: options.Labels ?? {},
          publishedPorts: ports.flat().map((binding) => Number(binding.HostPort)),
        }).id;
      },
      start: async (idOrName) => {
        this.failIfAsked('containers.start');
        const container = this.container(idOrName);
        if (container.state === 'running') throw engineError(304, 'container already started');
        container.state = 'running';
      },
      stop: async (idOrName) => {
        const container = this.container(idOrName);
        if (container.state !== 'running') throw engineError(304, 'container already stopped');
        container.state = 'exited';
      },
      remove: async (idOrName, { force }) => {
        this.failIfAsked('containers.remove');
        const container = this.container(idOrName);
        if (container.state === 'running' && !force) throw engineError(409, 'You cannot remove a running container');
        all.delete(container.id);
      },
      wait: async (idOrName) => {
        const container = this.container(idOrName);
        container.state = 'exited';
        return container.exitCode ?? 0;
      },
      logs: async (idOrName, { tail }) => {
        const lines = this.container(idOrName).logLines;
        return Readable.from(lines.slice(tail === undefined ? 0 : -tail).map((line) => `${line}\n`));
      },
    };
  }

  private imageClient(): FakeEngine['images'] {
    const local = new Set<string>();
    const client: FakeEngine['images'] = {
      local,
      pullEvents: [],
      exists: async (image) => local.has(image),
      pull: async (image, onProgress) => {
        this.failIfAsked('images.pull');
        for (const event of client.pullEvents) {
          if (event.error) throw new Error(event.error);
          onProgress(event);
        }
        local.add(image);
      },
    };
    return client;
  }

  private networkClient(): FakeEngine['networks'] {
    const all = new Map<string, NetworkSummary>();
    return {
      all,
      list: async (filters) => [...all.values()].filter((network) => matches(network, filters)),
      create: async ({ name, labels }) => {
        this.failIfAsked('networks.create');
        if ([...all.values()].some((network) => network.name === name)) throw engineError(409, `network with name ${name} already exists`);
        const id = this.id();
        all.set(id, { id, name, labels, createdMs: this.now() });
        return id;
      },
      remove: async (idOrName) => {
        const network = all.get(idOrName) ?? [...all.values()].find((candidate) => candidate.name === idOrName);
        if (!network) throw engineError(404, `network ${idOrName} not found`);
        all.delete(network.id);
      },
    };
  }

  private volumeClient(): FakeEngine['volumes'] {
    const all = new Map<string, VolumeSummary>();
    return {
      all,
      list: async (filters) => [...all.values()].filter((volume) => matches(volume, filters)),
      create: async ({ name, labels }) => {
        if (!all.has(name)) all.set(name, { name, labels });
      },
      remove: async (name) => {
        if (!all.delete(name)) throw engineError(404, `get ${name}: no such volume`);
      },
    };
  }
}

function summary(container: FakeContainer): ContainerSummary {
  const { id, name, state, labels, createdMs, publishedPorts } = container;
  return { id, name, state, labels: { ...labels }, createdMs, publishedPorts: [...publishedPorts] };
}

function matches(object: { name: string; labels: Record<string, string> }, filters: EngineFilters = {}): boolean {
  const labelsMatch = (filters.label ?? []).every((filter) => {
    const [key, value] = filter.split('=', 2);
    return value === undefined ? key in object.labels : object.labels[key] === value;
  });
  return labelsMatch && (filters.name ?? []).every((name) => object.name.includes(name));
}
