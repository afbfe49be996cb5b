import type { Profile, ServiceName } from '../config/schema.js';
import type { StackContext } from '../config/stack-context.js';

export type { ServiceName, Profile, StackContext };

export interface PortSpec {
  /** Stable name used in config (`services.<name>.ports.<port>`) and output. */
  name: string;
  container: number;
  /** Default published host port. */
  host: number;
  /** How people reach it, e.g. "http" prints http://host:port. */
  scheme: 'http' | 'tcp' | 'grpc' | 'bolt' | 'postgresql' | 'redis';
  /** A web UI meant for a browser. */
  ui?: boolean;
}

export interface VolumeMount {
  /** Named volume, suffixed to the project: <project>_<name>. */
  volume: string;
  target: string;
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
  /** The container as the docker runtime and the compose export create it. */
  container(ctx: StackContext): ContainerSpec;
}
