import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface DockerContextEndpoint {
  name: string;
  host: string;
}

/**
 * The engine address of the docker CLI's current context (Colima, OrbStack, rootless set one), or undefined
 * for the `default` context. testcontainers does not read contexts, so this fills that one gap in its resolution.
 */
export function currentDockerContext(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): DockerContextEndpoint | undefined {
  const configDir = env.DOCKER_CONFIG ?? join(home, '.docker');
  const name = env.DOCKER_CONTEXT ?? readJson<{ currentContext?: string }>(join(configDir, 'config.json'))?.currentContext;
  if (!name || name === 'default') return undefined;
  const digest = createHash('sha256').update(name).digest('hex');
  const meta = readJson<{ Endpoints?: { docker?: { Host?: string } } }>(join(configDir, 'contexts', 'meta', digest, 'meta.json'));
  const host = meta?.Endpoints?.docker?.Host;
  return host ? { name, host } : undefined;
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
