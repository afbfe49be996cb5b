import { randomBytes } from 'node:crypto';
import type { StartedTestContainer } from 'testcontainers';
import type { LoadedStack } from '../config/stack-context.js';
import type { ApexConfig } from '../config/schema.js';
import { ApexError } from '../errors.js';
import { dependencyWaves, publishedHost, selectServices } from '../services/catalog.js';
import { checkHealth } from '../services/health.js';
import { assertAllSucceeded, seedStack } from '../services/seeding.js';
import type { ServiceDefinition, ServiceName, StackContext } from '../services/service.js';
import type { Progress } from '../ui/progress.js';
import { connectDocker } from './docker/engine.js';
import { ensureImage } from './docker/images.js';
import { AbstractWaitStrategy } from './docker/testcontainers-internals.js';
import { EPHEMERAL_PROJECT_PREFIX, sweepEphemeralLeftovers } from './ephemeral-leftovers.js';
import { LABELS, MANAGED_BY, networkName } from './labels.js';
import { waitUntilHealthy } from './wait-healthy.js';

/** apex's own health probe (real clients) decides readiness; testcontainers only has to start the container. */
class ContainerStarted extends AbstractWaitStrategy {
  async waitUntilReady(): Promise<void> {}
}

export interface EphemeralStack {
  project: string;
  /** The throwaway stack as the phases see it: external-like endpoints on the mapped random ports. */
  loaded: LoadedStack;
  stop(): Promise<void>;
  /** From now on a signal is the work's to handle (it ends with its report); stop() still removes the stack. */
  handOverSignals(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Starts the given services (and what they depend on) from their definitions with testcontainers on random host
 * ports, waits for apex's health checks, and seeds them. `loaded` must carry throwaway credentials. The reaper
 * image cannot be pulled everywhere, so it is off: stop(), the signal handlers and the next run's sweep clean up.
 */
export async function startEphemeralStack(loaded: LoadedStack, names: readonly ServiceName[], progress: Progress): Promise<EphemeralStack> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const { GenericContainer } = await import('testcontainers');
  const Container = boundContainerClass(GenericContainer);
  const { client: engine } = await connectDocker();
  const swept = await sweepEphemeralLeftovers(engine, Date.now());
  if (swept > 0) progress.done(`Removed ${swept} leftover(s) of killed --ephemeral runs`);

  const project = `${EPHEMERAL_PROJECT_PREFIX}${randomBytes(4).toString('hex')}`;
  const labels = { [LABELS.composeProject]: project, [LABELS.managedBy]: MANAGED_BY, [LABELS.ephemeralOwnerPid]: String(process.pid) };
  const started: StartedTestContainer[] = [];
  let networkId: string | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      progress.step(`Removing ephemeral stack ${project}`);
      await Promise.all(started.map((container) => container.stop({ remove: true, removeVolumes: true }).catch(() => undefined)));
      if (networkId) await engine.networks.remove(networkId).catch(() => undefined);
    })());
  const onSignal = (signal: NodeJS.Signals): void => {
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);

  try {
    // External-like: every endpoint is services.<name>.host and .ports, filled in as the containers start.
    const config: ApexConfig = { ...loaded.config, project, runtime: 'external', services: { ...loaded.config.services } };
    const stack: StackContext = { ...loaded.stack, config };
    const services = selectServices(config, { only: [...names] });
    for (const service of services) await ensureImage(engine.images, service.container(stack).image, service.name, progress);
    networkId = await engine.networks.create({ name: networkName(project), labels });
    progress.step(`Ephemeral stack ${project}: ${services.map((service) => service.name).join(', ')}`);
    // Each wave's mapped ports go into the config before the next wave is created from it. The host is where the
    // ports were published, not testcontainers' getHost(): inside a container that is the bridge gateway, which a
    // loopback-bound port does not answer on.
    for (const wave of dependencyWaves(services)) {
      const containers = await Promise.all(wave.map((service) => startContainer(Container, stack, service, labels)));
      started.push(...containers);
      wave.forEach((service, index) => {
        const container = containers[index];
        const ports = Object.fromEntries(service.ports.map((port) => [port.name, container.getMappedPort(port.container)]));
        config.services[service.name] = { ...config.services[service.name], host: publishedHost(stack.config), ports };
      });
      await waitForWave(stack, wave, progress);
    }
    progress.step('Seeding the ephemeral stack');
    assertAllSucceeded(await seedStack(stack, services), 'SEED_FAILED', 'Seeding the ephemeral stack');
    const handOverSignals = (): void => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    };
    return { project, loaded: { ...loaded, config, stack }, stop, handOverSignals };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts the stack, runs `work` against it, and removes it whatever happens. A signal while the stack starts removes
 * it and exits; during `work`, a work that handles signals itself (`workHandlesSignals`) ends first.
 */
export async function withEphemeralStack<T>(
  loaded: LoadedStack,
  names: readonly ServiceName[],
  progress: Progress,
  work: (loaded: LoadedStack) => Promise<T>,
  options: { workHandlesSignals?: boolean } = {},
): Promise<T> {
  const ephemeral = await startEphemeralStack(loaded, names, progress);
  if (options.workHandlesSignals) ephemeral.handOverSignals();
  try {
    return await work(ephemeral.loaded);
  } finally {
    await ephemeral.stop();
  }
}

/** testcontainers publishes random ports on every interface; apex binds them to config.bindAddress (loopback by default). */
function boundContainerClass(Generic: typeof import('testcontainers').GenericContainer) {
  return class BoundContainer extends Generic {
    bindPublishedPortsTo(address: string): this {
      for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
        for (const binding of bindings as { HostIp?: string }[]) binding.HostIp = address;
      }
      return this;
    }
  };
}

function startContainer(
  Generic: ReturnType<typeof boundContainerClass>,
  stack: StackContext,
  service: ServiceDefinition,
  labels: Record<string, string>,
): Promise<StartedTestContainer> {
  const spec = service.container(stack);
  // Named volumes are left out: the data lives in the container's own layer and goes with it.
  let container = new Generic(spec.image)
    .withLabels({ ...labels, [LABELS.composeService]: service.name })
    .withEnvironment(spec.env)
    .withExposedPorts(...service.ports.map((port) => port.container))
    .bindPublishedPortsTo(stack.config.bindAddress)
    .withBindMounts(spec.binds.map((mount) => ({ source: mount.source, target: mount.target, mode: mount.readOnly ? 'ro' : 'rw' })))
    .withNetworkMode(networkName(stack.config.project))
    .withNetworkAliases(service.name)
    .withWaitStrategy(new ContainerStarted());
  if (spec.entrypoint) container = container.withEntrypoint(spec.entrypoint);
  if (spec.command) container = container.withCommand(spec.command);
  return container.start();
}

async function waitForWave(stack: StackContext, wave: ServiceDefinition[], progress: Progress): Promise<void> {
  const outcome = await waitUntilHealthy(
    wave,
    async (service) => {
      const [result] = await checkHealth(stack, [service], { timeoutMs: 2_000 });
      return { ok: result.ok, detail: result.error ?? result.detail ?? 'healthy' };
    },
    {
      timeoutSeconds: (service) => stack.config.services[service.name]?.healthTimeoutSeconds ?? service.healthTimeoutSeconds,
      onHealthy: (service, afterMs) => progress.done(`${service.name} healthy (${(afterMs / 1000).toFixed(1)} s)`),
    },
  );
  if (outcome.unhealthy.length > 0) {
    const names = outcome.unhealthy.map((entry) => entry.service.name);
    throw new ApexError(
      'SERVICE_UNHEALTHY',
      `${names.join(', ')} did not become healthy on the ephemeral stack.`,
      `Check that the image runs (\`apex up --only ${names[0]}\` shows its logs), or raise \`services.${names[0]}.healthTimeoutSeconds\` in apex.config.yaml.`,
      1,
      outcome.unhealthy.map((entry) => `${entry.service.name}: ${entry.last.detail}`),
    );
  }
}
