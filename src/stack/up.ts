import { loadStack } from '../config/stack-context.js';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import type { Profile } from '../config/schema.js';
import type { ContainerChange } from '../runtime/docker/docker-stack.js';
import type { DockerEngine } from '../runtime/docker/engine.js';
import type { Clock } from '../runtime/poll.js';
import { withProjectLock } from '../runtime/project-lock.js';
import { selectServices } from '../services/catalog.js';
import { assertAllSucceeded, seedStack, type SeedResult } from '../services/seeding.js';
import type { ServiceName } from '../services/service.js';
import type { Progress } from '../ui/progress.js';
import { serviceEndpoints, type EndpointInfo } from './endpoints.js';
import { pendingEnvFile } from './pending-env-file.js';
import { upDocker } from './up-docker.js';
import { upExternal } from './up-external.js';

export interface UpOptions {
  only?: string[];
  profiles?: Profile[];
  runtime?: 'docker' | 'external';
  /** Overrides every service's health timeout, in seconds. */
  timeoutSeconds?: number;
  showSecrets: boolean;
}

export interface UpDependencies {
  progress: Progress;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** The Docker Engine to start the stack on; by default the one `env` names (DOCKER_HOST, docker context, socket). */
  engine?: DockerEngine;
}

export interface UpResult {
  apiVersion: 1;
  project: string;
  runtime: 'docker' | 'external';
  /** True when the stack was already up and healthy and nothing was touched. */
  unchanged: boolean;
  envFileCreated: boolean;
  /** Passwords added to an existing .env that lacked them. */
  envKeysAdded: string[];
  services: { service: ServiceName; change: ContainerChange | 'external'; image?: string; healthy: boolean }[];
  seed: SeedResult[];
  endpoints: EndpointInfo[];
  durationMs: number;
}

/**
 * `apex up`: checks, starts in dependency waves, waits for health, seeds, and reports the endpoints. It holds the
 * project's lock throughout, so a second `up` waits and then finds the stack up instead of racing it (and .env).
 */
export async function runUp(loadOptions: LoadOptions, options: UpOptions, deps: UpDependencies): Promise<UpResult> {
  const { projectDir } = loadConfig(loadOptions);
  return withProjectLock(projectDir, { command: 'apex up', onWait: (message) => deps.progress.warn(message) }, () => startStack(loadOptions, options, deps));
}

async function startStack(loadOptions: LoadOptions, options: UpOptions, deps: UpDependencies): Promise<UpResult> {
  const started = performance.now();
  const envFile = pendingEnvFile(loadOptions, options, deps.progress);
  const loaded = loadStack({ ...loadOptions, runtime: options.runtime, processEnv: envFile.env });
  const services = selectServices(loaded.config, { only: options.only, profiles: options.profiles });
  const seedServices = async () => {
    deps.progress.step('Seeding');
    const results = await seedStack(loaded.stack, services);
    assertAllSucceeded(results, 'SEED_FAILED', 'Seeding');
    return results;
  };
  const external = loaded.config.runtime === 'external';
  // A fresh external server lacks what seeding creates (the Temporal namespace, which the health check asks for).
  const seededFirst = external ? await seedServices() : undefined;
  const result = external ? await upExternal(loaded, services, deps) : await upDocker(loaded, services, options, deps, envFile.write);
  const seed = seededFirst ?? (await seedServices());
  return {
    apiVersion: 1,
    project: loaded.config.project,
    runtime: loaded.config.runtime,
    envFileCreated: envFile.outcome.created,
    envKeysAdded: envFile.outcome.keysAdded,
    ...result,
    seed,
    endpoints: serviceEndpoints(loaded.stack, services, options.showSecrets),
    durationMs: Math.round(performance.now() - started),
  };
}

/** What starting (or checking) the services did, before the seed. */
export type StartOutcome = Pick<UpResult, 'unchanged' | 'services'>;
