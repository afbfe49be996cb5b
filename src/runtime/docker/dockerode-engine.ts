import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { ContainerClient, ContainerDetails, EngineClient, EngineFilters, ImageClient, NetworkClient, PullEvent, VolumeClient } from './engine-client.js';

/** The engine client over a dockerode connection (created by connectDocker, which loads dockerode from src/vendor). */
export function dockerodeEngine(docker: Docker): EngineClient {
  return {
    containers: containerClient(docker),
    images: imageClient(docker),
    networks: networkClient(docker),
    volumes: volumeClient(docker),
    rootDir: async () => ((await docker.info()) as { DockerRootDir?: string }).DockerRootDir,
  };
}

const engineFilters = (filters: EngineFilters = {}): Record<string, string[]> =>
  Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string[]] => entry[1] !== undefined));

function containerClient(docker: Docker): ContainerClient {
  return {
    list: async ({ all, filters }) =>
      (await docker.listContainers({ all, filters: engineFilters(filters) })).map((info) => ({
        id: info.Id,
        name: info.Names[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12),
        state: info.State,
        labels: info.Labels,
        createdMs: info.Created * 1000,
        publishedPorts: info.Ports.flatMap((port) => (port.PublicPort ? [port.PublicPort] : [])),
      })),
    inspect: async (idOrName) => containerDetails(await docker.getContainer(idOrName).inspect()),
    create: async (options) => (await docker.createContainer(options)).id,
    start: async (idOrName) => {
      await docker.getContainer(idOrName).start();
    },
    stop: async (idOrName, { timeoutSeconds }) => {
      await docker.getContainer(idOrName).stop({ t: timeoutSeconds });
    },
    remove: async (idOrName, { force, volumes }) => {
      await docker.getContainer(idOrName).remove({ force, v: volumes });
    },
    wait: async (idOrName) => ((await docker.getContainer(idOrName).wait()) as { StatusCode: number }).StatusCode,
    logs: (idOrName, options) => containerLogs(docker, docker.getContainer(idOrName), options),
  };
}

function containerDetails(info: Docker.ContainerInspectInfo): ContainerDetails {
  const health = info.State.Health;
  const last = health?.Log?.at(-1);
  const bindings = info.HostConfig.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[] | null> | undefined;
  return {
    id: info.Id,
    status: info.State.Status,
    running: info.State.Running,
    exitCode: info.State.ExitCode,
    error: info.State.Error || undefined,
    startedAt: info.State.StartedAt,
    image: info.Config.Image,
    labels: info.Config.Labels ?? {},
    health: health && { status: health.Status, lastCheck: last && { exitCode: last.ExitCode, output: last.Output } },
    portBindings:
      bindings &&
      Object.fromEntries(
        Object.entries(bindings).map(([key, list]) => [
          key,
          (list ?? []).map((binding) => ({ hostIp: binding.HostIp ?? '', hostPort: binding.HostPort ?? '' })),
        ]),
      ),
  };
}

/**
 * Splits the engine's multiplexed log buffer (8-byte frame headers: stream type, 3 bytes padding, big-endian size)
 * into lines. Containers created without a TTY always use this format.
 */
export function demuxLogBuffer(buffer: Buffer): string[] {
  const chunks: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    chunks.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.length > 0);
}

async function containerLogs(docker: Docker, container: Docker.Container, options: { follow: boolean; tail?: number; since?: number }): Promise<Readable> {
  const output = new PassThrough();
  const base = { stdout: true, stderr: true, tail: options.tail, since: options.since ?? 0 };
  if (!options.follow) {
    const buffer = await container.logs({ ...base, follow: false });
    output.end(
      demuxLogBuffer(buffer)
        .map((line) => `${line}\n`)
        .join(''),
    );
    return output;
  }
  const raw = await container.logs({ ...base, follow: true });
  docker.modem.demuxStream(raw, output, output);
  raw.on('end', () => output.end());
  return output;
}

function imageClient(docker: Docker): ImageClient {
  return {
    exists: async (image) => {
      try {
        await docker.getImage(image).inspect();
        return true;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
      }
    },
    pull: async (image, onProgress) => {
      const stream = await docker.pull(image);
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (error: Error | null, events: PullEvent[]) => {
            const failed = events?.find((event) => event.error);
            if (error || failed) reject(error ?? new Error(failed?.error));
            else resolve();
          },
          onProgress,
        );
      });
    },
  };
}

function networkClient(docker: Docker): NetworkClient {
  return {
    list: async (filters) =>
      (await docker.listNetworks({ filters: engineFilters(filters) })).map((info) => ({
        id: info.Id,
        name: info.Name,
        createdMs: Date.parse(info.Created),
        labels: info.Labels ?? {},
      })),
    create: async ({ name, labels }) => (await docker.createNetwork({ Name: name, CheckDuplicate: true, Labels: labels })).id,
    remove: async (idOrName) => {
      await docker.getNetwork(idOrName).remove();
    },
  };
}

function volumeClient(docker: Docker): VolumeClient {
  return {
    list: async (filters) =>
      ((await docker.listVolumes({ filters: engineFilters(filters) })).Volumes ?? []).map((volume) => ({ name: volume.Name, labels: volume.Labels ?? {} })),
    create: async ({ name, labels }) => {
      await docker.createVolume({ Name: name, Labels: labels });
    },
    remove: async (name) => {
      await docker.getVolume(name).remove();
    },
  };
}
