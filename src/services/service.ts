import { SERVICE_SPECS, type PortSpec, type Profile, type ServiceName } from '../config/service-specs.js';
import type { StackContext } from '../config/stack-context.js';
import type { StoreCapability, StoreOperations } from './operations.js';

export type { PortSpec, Profile, ServiceName, StackContext };

export interface VolumeMount {
  /** Named volume, suffixed to the project: <project>_<name>. */
  volume: string;
  target: string;
  /**
   * A POSIX shell script that says whether the data already in the volume is usable: run by `apex up` with sh in a
   * throwaway container of the service's image, the volume mounted at `target` and its path as $1, before a container
   * is created on it. It prints nothing when the data is usable, else one line saying what it found.
   */
  check?: string;
}

export interface BindMount {
  /** Absolute host path (a rendered template). */
  source: string;
  target: string;
  readOnly: boolean;
}

export interface ContainerHealthcheck {
  test: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

export interface ContainerSpec {
  image: string;
  entrypoint?: string[];
  command?: string[];
  env: Record<string, string>;
  volumes: VolumeMount[];
  binds: BindMount[];
  healthcheck?: ContainerHealthcheck;
  /** host:address entries, e.g. host.docker.internal:host-gateway to reach `apex worker` on the host. */
  extraHosts?: string[];
}

/** Where a running service is reached from this machine. */
export interface ServiceEndpoint {
  service: ServiceName;
  host: string;
  /** Host port by port name. */
  ports: Record<string, number>;
  tls?: { enabled: boolean; caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
}

/** A service's operations, loaded on first use, and what it can do beyond a health check, known without loading. */
export interface StoreEntry {
  capabilities: readonly StoreCapability[];
  load(): Promise<StoreOperations>;
}

/**
 * What apex does to a service through its own client. The loaded operations must implement every capability declared (a unit test
 * checks the converse). A store's operations bring its client library, so they load on first use: a command pays for the stores it touches.
 */
export const storeEntry = <C extends StoreCapability>(
  capabilities: readonly C[],
  load: () => Promise<StoreOperations & Required<Pick<StoreOperations, C>>>,
): StoreEntry => ({ capabilities, load });

/** The static description of a service: the single source of truth for compose, status, doctor and up. */
export interface ServiceDefinition {
  name: ServiceName;
  profile: Profile;
  defaultImage: string;
  ports: readonly PortSpec[];
  dependsOn: readonly ServiceName[];
  /** Rough resident memory, for doctor's capacity check. */
  memoryMb: number;
  healthTimeoutSeconds: number;
  /**
   * The container as the docker runtime and the compose export create it: the image is `services.<name>.image`, else
   * the contract's (`stack.<name>.image`), else the service's own; the contract's `stack.<name>.env` is added.
   */
  container(ctx: StackContext): ContainerSpec;
  operations: StoreEntry;
}

/** The container a service's module describes: without `image`, the spec's default image. */
export type ContainerDraft = Omit<ContainerSpec, 'image'> & { image?: string };

/** A service from its spec (src/config/service-specs.ts), its container and its operations. */
export function defineService(name: ServiceName, parts: { container(ctx: StackContext): ContainerDraft; operations: StoreEntry }): ServiceDefinition {
  const spec = SERVICE_SPECS[name];
  return {
    name,
    profile: spec.profile,
    defaultImage: spec.defaultImage,
    ports: spec.ports,
    dependsOn: spec.dependsOn,
    memoryMb: spec.memoryMb,
    healthTimeoutSeconds: spec.healthTimeoutSeconds,
    container: (ctx) => {
      const draft = parts.container(ctx);
      const needs = ctx.config.contract.stack[name];
      return {
        ...draft,
        image: ctx.config.services[name]?.image ?? needs?.image ?? draft.image ?? spec.defaultImage,
        env: { ...draft.env, ...needs?.env },
      };
    },
    operations: parts.operations,
  };
}
