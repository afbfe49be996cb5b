import { existsSync } from 'node:fs';
import type Docker from 'dockerode';
import { ApexError, errorMessage } from '../../errors.js';
import { currentDockerContext } from './docker-context.js';
import { dockerodeEngine } from './dockerode-engine.js';
import type { EngineClient } from './engine-client.js';
import {
  ConfigurationStrategy,
  NpipeSocketStrategy,
  RootlessUnixSocketStrategy,
  TestcontainersHostStrategy,
  UnixSocketStrategy,
} from './testcontainers-internals.js';

export interface DockerEndpoint {
  uri: string;
  /** Where the address came from, for messages: "DOCKER_HOST", "docker context colima", "default socket". */
  source: string;
  options: Docker.DockerOptions;
}

export interface DockerEngine {
  client: EngineClient;
  endpoint: DockerEndpoint;
  version: string;
  apiVersion: string;
}

/** Answer "is Docker there?" well under a second; a healthy engine replies to /_ping in milliseconds. */
const PING_TIMEOUT_MS = 800;

/**
 * Finds the engine the way the docker CLI does: DOCKER_HOST (and testcontainers' tc.host), then the current docker
 * context, then the default and rootless sockets. testcontainers' strategies do the reading; unlike its
 * getContainerRuntimeClient() the first one that applies wins, so a DOCKER_HOST that points nowhere is reported
 * instead of silently falling back to another engine (and its whole-library import is not paid on every command).
 */
export async function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env): Promise<DockerEndpoint> {
  const explicit = [new TestcontainersHostStrategy(), new ConfigurationStrategy()];
  for (const strategy of explicit) {
    const result = await strategy.getResult();
    if (result) return { uri: result.uri, source: strategy instanceof ConfigurationStrategy ? 'DOCKER_HOST' : 'tc.host', options: result.dockerOptions };
  }
  const context = currentDockerContext(env);
  if (context) return { uri: context.host, source: `docker context ${context.name}`, options: dockerOptionsFor(context.host) };
  for (const strategy of [new UnixSocketStrategy(), new RootlessUnixSocketStrategy(), new NpipeSocketStrategy()]) {
    const result = await strategy.getResult();
    if (result) return { uri: result.uri, source: 'default socket', options: result.dockerOptions };
  }
  return { uri: 'unix:///var/run/docker.sock', source: 'default socket', options: { socketPath: '/var/run/docker.sock' } };
}

function dockerOptionsFor(uri: string): Docker.DockerOptions {
  const url = new URL(uri);
  if (url.protocol === 'unix:' || url.protocol === 'npipe:') return { socketPath: url.pathname };
  if (url.protocol === 'ssh:') return { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined };
  return { host: url.hostname, port: url.port || 2375 };
}

/** Connects and pings; any failure is a DOCKER_UNREACHABLE error with the fix, answered in under a second. */
export async function connectDocker(env: NodeJS.ProcessEnv = process.env): Promise<DockerEngine> {
  const endpoint = await resolveDockerEndpoint(env);
  const socketPath = endpoint.options.socketPath;
  if (socketPath && !socketPath.startsWith('//') && !existsSync(socketPath)) {
    throw dockerUnreachable(endpoint, `${socketPath} does not exist`);
  }
  // Loaded only now: dockerode (and its gRPC/protobuf stack) costs ~0.1 s of CPU that "Docker is not running" need not pay.
  const { Dockerode } = await import('../../vendor/docker-client.js');
  const docker = new Dockerode(endpoint.options);
  try {
    const version = await withTimeout(docker.version(), PING_TIMEOUT_MS, `no answer within ${PING_TIMEOUT_MS} ms`);
    return { client: dockerodeEngine(docker), endpoint, version: version.Version, apiVersion: version.ApiVersion };
  } catch (error) {
    throw dockerUnreachable(endpoint, errorMessage(error));
  }
}

export function dockerUnreachable(endpoint: DockerEndpoint, reason: string): ApexError {
  return new ApexError(
    'DOCKER_UNREACHABLE',
    `Docker is not running or not reachable at ${endpoint.uri} (${endpoint.source}): ${reason}.`,
    'Start the Docker Engine (`sudo systemctl start docker`, or open Docker Desktop / `colima start`), or point ' +
      'DOCKER_HOST at a running engine. To use servers you run yourself, set `runtime: external` in apex.config.yaml.',
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
