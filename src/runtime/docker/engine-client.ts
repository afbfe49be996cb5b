import type { Readable } from 'node:stream';
import type Docker from 'dockerode';

/**
 * The Docker Engine as apex uses it: containers, images, networks and volumes, each a small client. dockerode
 * implements it (dockerode-engine.ts); unit tests implement it with a fake. A failed call rejects with the engine's
 * HTTP status as `statusCode` (304 not modified, 404 no such object, 409 conflict).
 */
export interface EngineClient {
  containers: ContainerClient;
  images: ImageClient;
  networks: NetworkClient;
  volumes: VolumeClient;
  /** Where the engine keeps its data (for the disk check), when it says. */
  rootDir(): Promise<string | undefined>;
}

/** Which objects a list returns: `label` entries are `key` or `key=value`, `name` entries match by name. */
export interface EngineFilters {
  label?: string[];
  name?: string[];
}

export interface ContainerSummary {
  id: string;
  /** Without the engine's leading slash. */
  name: string;
  /** running, exited, created, restarting, paused, dead. */
  state: string;
  labels: Record<string, string>;
  createdMs: number;
  /** Host ports the container publishes. */
  publishedPorts: number[];
}

export interface ContainerDetails {
  id: string;
  /** running, exited, created, restarting, paused, dead. */
  status: string;
  running: boolean;
  exitCode: number;
  /** The engine's reason the container could not run, if any. */
  error?: string;
  startedAt: string;
  image: string;
  labels: Record<string, string>;
  /** Docker's own health check, when the image has one. */
  health?: { status: string; lastCheck?: { exitCode: number; output: string } };
  /** Published ports as created, keyed `<container port>/tcp`; undefined when the engine reports none. */
  portBindings?: Record<string, { hostIp: string; hostPort: string }[]>;
}

export interface LogOptions {
  follow: boolean;
  tail?: number;
  /** Unix seconds. */
  since?: number;
}

export interface ContainerClient {
  /** `all: false` lists running containers only. */
  list(options: { all: boolean; filters?: EngineFilters }): Promise<ContainerSummary[]>;
  inspect(idOrName: string): Promise<ContainerDetails>;
  /** Returns the new container's id. */
  create(options: Docker.ContainerCreateOptions): Promise<string>;
  start(idOrName: string): Promise<void>;
  stop(idOrName: string, options: { timeoutSeconds: number }): Promise<void>;
  remove(idOrName: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  /** Resolves with the exit code once the container has stopped. */
  wait(idOrName: string): Promise<number>;
  /** stdout and stderr as one text stream; without `follow` it ends after the last line. */
  logs(idOrName: string, options: LogOptions): Promise<Readable>;
}

/** One progress event of a pull, as the engine streams it. */
export interface PullEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
}

export interface ImageClient {
  exists(image: string): Promise<boolean>;
  /** Resolves when the pull has finished; an error reported inside the pull stream rejects it. */
  pull(image: string, onProgress: (event: PullEvent) => void): Promise<void>;
}

export interface NetworkSummary {
  id: string;
  name: string;
  createdMs: number;
  labels: Record<string, string>;
}

export interface NetworkClient {
  list(filters?: EngineFilters): Promise<NetworkSummary[]>;
  /** Returns the new network's id. */
  create(options: { name: string; labels: Record<string, string> }): Promise<string>;
  remove(idOrName: string): Promise<void>;
}

export interface VolumeSummary {
  name: string;
  labels: Record<string, string>;
}

export interface VolumeClient {
  list(filters?: EngineFilters): Promise<VolumeSummary[]>;
  create(options: { name: string; labels: Record<string, string> }): Promise<void>;
  remove(name: string): Promise<void>;
}
