import { existsSync } from 'node:fs';
import { loadStack, type LoadedStack } from '../config/stack-context.js';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import type { Profile } from '../config/schema.js';
import { generatedEnv, missingGeneratedEnv, secretValues } from '../config/credentials.js';
import { assertPreflight, quickChecks } from '../doctor/doctor.js';
import { ApexError } from '../errors.js';
import { lastLogLines } from '../runtime/docker/container-logs.js';
import { planContainer, type ContainerPlan } from '../runtime/docker/container-plan.js';
import { DockerStack, type ContainerChange } from '../runtime/docker/docker-stack.js';
import { connectDocker } from '../runtime/docker/engine.js';
import { ensureImage } from '../runtime/docker/images.js';
import { LABELS } from '../runtime/labels.js';
import type { Clock } from '../runtime/poll.js';
import { waitUntilHealthy, type WaitOutcome } from '../runtime/wait-healthy.js';
import { dependencyWaves, selectServices } from '../services/catalog.js';
import { checkHealth } from '../services/health.js';
import { assertAllSucceeded, seedStack, type SeedResult } from '../services/seeding.js';
import type { ServiceDefinition, ServiceName } from '../services/service.js';
import { redactSecrets } from '../ui/mask.js';
import type { Progress } from '../ui/progress.js';
import { dockerHealthProbe } from './docker-health.js';
import { serviceEndpoints, type EndpointInfo } from './endpoints.js';
import { appendGeneratedEnv, writeGeneratedEnv } from './env-file.js';

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

const LOG_LINES_ON_FAILURE = 25;

/** `apex up`: checks, starts in dependency waves, waits for health, seeds, and reports the endpoints. */
export async function runUp(loadOptions: LoadOptions, options: UpOptions, deps: UpDependencies): Promise<UpResult> {
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

interface PendingEnvFile {
  /** The environment to load the stack from: the generated passwords under the process's own variables. */
  env: NodeJS.ProcessEnv;
  /** Writes the generated passwords to .env (once; nothing when none is missing or the runtime is external). */
  write: () => void;
  /** What the write did: created .env, or added these keys to the existing one. */
  outcome: { created: boolean; keysAdded: string[] };
}

/**
 * The docker runtime's first `up` generates the passwords, but writes .env only once the preflight has passed and
 * just before a container gets them: a failed preflight leaves nothing behind. A .env that lacks some passwords
 * (written by hand, or before apex knew a service) gets only those added; the passwords in it are kept.
 */
function pendingEnvFile(loadOptions: LoadOptions, options: UpOptions, progress: Progress): PendingEnvFile {
  const { envFile, config, env } = loadConfig(loadOptions);
  const processEnv = loadOptions.processEnv ?? process.env;
  const pending: PendingEnvFile = { env: processEnv, write: () => undefined, outcome: { created: false, keysAdded: [] } };
  if ((options.runtime ?? config.runtime) === 'external') return pending;
  const exists = existsSync(envFile);
  const generated = exists ? missingGeneratedEnv(env) : generatedEnv();
  if (Object.keys(generated).length === 0) return pending;
  let written = false;
  pending.env = { ...generated, ...processEnv };
  pending.write = () => {
    if (written) return;
    written = true;
    if (exists) {
      appendGeneratedEnv(envFile, generated);
      pending.outcome = { created: false, keysAdded: Object.keys(generated) };
      progress.done(`Added ${pending.outcome.keysAdded.join(', ')} to ${envFile} (generated; the values there are kept)`);
    } else {
      writeGeneratedEnv(envFile, generated);
      pending.outcome = { created: true, keysAdded: [] };
      progress.done(`Wrote ${envFile} with generated passwords (mode 0600)`);
    }
  };
  return pending;
}

type StartOutcome = Pick<UpResult, 'unchanged' | 'services'>;

/** The external runtime starts nothing: it checks that every service answers. */
async function upExternal(loaded: LoadedStack, services: ServiceDefinition[], deps: UpDependencies): Promise<StartOutcome> {
  deps.progress.step(`Checking ${services.length} external services`);
  const health = await checkHealth(loaded.stack, services);
  const failures = health.filter((result) => !result.ok);
  if (failures.length > 0) {
    throw new ApexError(
      'SERVICE_UNREACHABLE',
      `${failures.map((result) => result.service).join(', ')} ${failures.length > 1 ? 'do' : 'does'} not answer (runtime: external).`,
      failures.map((result) => `${result.service}: ${result.fix ?? 'check services.<name>.host and ports in apex.config.yaml'}`).join('\n'),
      1,
      failures.map((result) => `${result.service}: ${result.error ?? 'unhealthy'}`),
    );
  }
  return { unchanged: true, services: health.map((result) => ({ service: result.service, change: 'external', healthy: true })) };
}

async function upDocker(
  loaded: LoadedStack,
  services: ServiceDefinition[],
  options: UpOptions,
  deps: UpDependencies,
  commitEnvFile: () => void,
): Promise<StartOutcome> {
  const { progress } = deps;
  const engine = await connectDocker(deps.env);
  const stack = new DockerStack(engine.docker, loaded.config.project);
  const plans = new Map(services.map((service) => [service.name, planContainer(loaded.stack, service)]));
  const existing = await stack.containers();
  // A container created for this very plan owns its ports, even while the engine is still starting it (an up
  // interrupted by Ctrl-C leaves that behind): the preflight checks only the containers that are still to be created.
  const created = (plan: ContainerPlan): boolean => existing.get(plan.service.name)?.Labels[LABELS.configHash] === plan.configHash;
  const current = (plan: ContainerPlan): boolean => created(plan) && existing.get(plan.service.name)?.State === 'running';
  const probe = dockerHealthProbe(engine.docker, loaded.stack);

  if ([...plans.values()].every(current)) {
    const health = await Promise.all(services.map(async (service) => ({ service, health: await probe(service).catch(() => ({ ok: false })) })));
    if (health.every((entry) => entry.health.ok)) {
      commitEnvFile();
      progress.done(`${loaded.config.project}: ${services.length} services already up and healthy; nothing changed`);
      return { unchanged: true, services: services.map((service) => ({ service: service.name, change: 'unchanged', image: plans.get(service.name)?.image, healthy: true })) };
    }
  }

  assertPreflight(await quickChecks(loaded.config, services.filter((service) => !created(plans.get(service.name)!)), engine));
  for (const plan of plans.values()) await ensureImage(engine.docker, plan.image, plan.service.name, progress);
  commitEnvFile();
  await stack.ensureNetwork();

  const changes = new Map<ServiceName, ContainerChange>();
  const timeoutSeconds = (service: ServiceDefinition): number =>
    options.timeoutSeconds ?? loaded.config.services[service.name]?.healthTimeoutSeconds ?? service.healthTimeoutSeconds;
  for (const wave of dependencyWaves(services)) {
    await Promise.all(
      wave.map(async (service) => {
        const plan = plans.get(service.name)!;
        const change = await stack.realise(plan, existing.get(service.name));
        changes.set(service.name, change);
        if (change !== 'unchanged') progress.step(`${service.name}: ${change} ${plan.name} (${plan.image})`);
      }),
    );
    progress.step(`Waiting for ${wave.map((service) => service.name).join(', ')} to be healthy`);
    const outcome = await waitUntilHealthy(wave, probe, {
      clock: deps.clock,
      timeoutSeconds,
      onHealthy: (service, afterMs) => progress.done(`${service.name} healthy (${(afterMs / 1000).toFixed(1)} s)`),
    });
    if (outcome.unhealthy.length > 0) throw rejectedError(loaded, outcome) ?? (await unhealthyError(stack, loaded, outcome, timeoutSeconds));
  }
  return {
    unchanged: [...changes.values()].every((change) => change === 'unchanged'),
    services: services.map((service) => ({
      service: service.name,
      change: changes.get(service.name) ?? 'unchanged',
      image: plans.get(service.name)?.image,
      healthy: true,
    })),
  };
}

/** Services that refused the passwords in .env: usually a data volume created with other ones. */
function rejectedError(loaded: LoadedStack, outcome: WaitOutcome): ApexError | undefined {
  const rejected = outcome.unhealthy.flatMap(({ service, last }) => (last.rejected ? [{ service: service.name, detail: last.detail, ...last.rejected }] : []));
  if (rejected.length === 0) return undefined;
  const secrets = secretValues(loaded.stack.credentials);
  return new ApexError(
    'CREDENTIALS_REJECTED',
    `${rejected.map((entry) => `${entry.service} rejected ${entry.key} from ${loaded.envFile}`).join('; ')}.`,
    rejected.map((entry) => entry.fix).join('\n'),
    1,
    rejected.map((entry) => redactSecrets(entry.detail, secrets)),
  );
}

/** The first unhealthy service's health output and last log lines (secrets redacted), and how to go on. */
async function unhealthyError(
  stack: DockerStack,
  loaded: LoadedStack,
  outcome: WaitOutcome,
  timeoutSeconds: (service: ServiceDefinition) => number,
): Promise<ApexError> {
  const details: string[] = [];
  for (const { service, last, fatal } of outcome.unhealthy) {
    const plan = planContainer(loaded.stack, service);
    const lines = await lastLogLines(stack.docker.getContainer(plan.name), LOG_LINES_ON_FAILURE).catch(() => []);
    details.push(
      `${service.name}: ${fatal ? last.detail : `not healthy after ${timeoutSeconds(service)} s: ${last.detail}`}`,
      `last ${lines.length} log lines of ${plan.name}:`,
      ...lines.map((line) => `  ${redactSecrets(line, secretValues(loaded.stack.credentials))}`),
    );
  }
  const names = outcome.unhealthy.map((entry) => entry.service.name);
  const first = names[0];
  return new ApexError(
    'SERVICE_UNHEALTHY',
    `${names.join(', ')} did not become healthy.`,
    `Read the log lines above (\`apex logs ${first}\`). If it is only slow, raise \`services.${first}.healthTimeoutSeconds\` ` +
      'in apex.config.yaml (or pass --timeout) and run `apex up` again; `apex down` removes what was started.',
    1,
    details,
  );
}
