import { describe, expect, it } from 'vitest';
import { generatedEnv, readCredentials } from '../../../../src/config/credentials.js';
import { configSchema } from '../../../../src/config/schema.js';
import { planContainer } from '../../../../src/runtime/docker/container-plan.js';
import { DockerStack } from '../../../../src/runtime/docker/docker-stack.js';
import { LABELS } from '../../../../src/runtime/labels.js';
import { serviceByName } from '../../../../src/services/catalog.js';
import { engineError, FakeEngine } from '../../../support/fake-engine.js';

const plan = planContainer(
  { config: configSchema.parse({ project: 'demo' }), credentials: readCredentials(generatedEnv(), '.env'), env: {}, projectDir: '/p', templatesDir: '/t' },
  serviceByName('redis'),
);

/** An engine holding the plan's container, created but not running (an interrupted `up` leaves that). */
function engineWithCreatedContainer(): { engine: FakeEngine; stack: DockerStack } {
  const engine = new FakeEngine();
  engine.addContainer({ name: plan.name, state: 'created', labels: { ...plan.createOptions.Labels } });
  return { engine, stack: new DockerStack(engine, 'demo') };
}

describe('DockerStack.realise', () => {
  it('creates the network, volumes and container of a new plan and starts it', async () => {
    const engine = new FakeEngine();
    const stack = new DockerStack(engine, 'demo');
    await stack.ensureNetwork();
    expect(await stack.realise(plan, undefined)).toBe('created');
    const [container] = engine.containers.all.values();
    expect({ name: container.name, state: container.state, hash: container.labels[LABELS.configHash] }).toEqual({
      name: 'demo-redis-1',
      state: 'running',
      hash: plan.configHash,
    });
    expect([...engine.networks.all.values()].map((network) => network.name)).toEqual(['demo_default']);
    expect([...engine.volumes.all.keys()]).toEqual(plan.volumes);
  });

  it('takes "already started" (304) for success: an up interrupted by Ctrl-C left the engine starting that container', async () => {
    const { engine, stack } = engineWithCreatedContainer();
    const [existing] = await engine.containers.list({ all: true });
    engine.failNext('containers.start', engineError(304, 'container already started'));
    await expect(stack.realise(plan, existing)).resolves.toBe('started');
  });

  it('still fails on any other answer', async () => {
    const { engine, stack } = engineWithCreatedContainer();
    const [existing] = await engine.containers.list({ all: true });
    engine.failNext('containers.start', engineError(500, 'server error - boom'));
    await expect(stack.realise(plan, existing)).rejects.toThrow('boom');
  });

  it('recreates a container whose definition changed', async () => {
    const engine = new FakeEngine();
    const old = engine.addContainer({ name: plan.name, labels: { ...plan.createOptions.Labels, [LABELS.configHash]: 'older' } });
    const [existing] = await engine.containers.list({ all: true });
    expect(await new DockerStack(engine, 'demo').realise(plan, existing)).toBe('recreated');
    const containers = [...engine.containers.all.values()];
    expect(containers.map((container) => [container.id === old.id, container.labels[LABELS.configHash], container.state])).toEqual([
      [false, plan.configHash, 'running'],
    ]);
  });

  it('names the foreign container that holds the name (409)', async () => {
    const engine = new FakeEngine();
    engine.addContainer({ name: plan.name, labels: {} });
    await expect(new DockerStack(engine, 'demo').realise(plan, undefined)).rejects.toMatchObject({ code: 'CONTAINER_NAME_TAKEN' });
  });

  it('turns "port is already allocated" into PORT_IN_USE naming the port and the config key', async () => {
    const { engine, stack } = engineWithCreatedContainer();
    const [existing] = await engine.containers.list({ all: true });
    engine.failNext(
      'containers.start',
      engineError(500, 'driver failed programming external connectivity: Bind for 127.0.0.1:6379 failed: port is already allocated'),
    );
    const error = await stack.realise(plan, existing).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PORT_IN_USE' });
    expect((error as Error).message).toContain(`${plan.ports[0].bindAddress}:${plan.ports[0].host}`);
  });
});

describe('DockerStack.teardown', () => {
  it("removes only the project's containers and network, and its volumes when asked", async () => {
    const engine = new FakeEngine();
    const stack = new DockerStack(engine, 'demo');
    await stack.ensureNetwork();
    await stack.realise(plan, undefined);
    engine.addContainer({ name: 'other-redis-1', labels: { [LABELS.composeProject]: 'other' } });
    expect(await stack.teardown({ volumes: false })).toEqual({ containers: ['demo-redis-1'], networks: ['demo_default'], volumes: [] });
    expect([...engine.containers.all.values()].map((container) => container.name)).toEqual(['other-redis-1']);
    expect([...engine.volumes.all.keys()]).toEqual(plan.volumes);
    expect(await stack.teardown({ volumes: plan.volumes })).toEqual({ containers: [], networks: [], volumes: plan.volumes });
    expect(engine.volumes.all.size).toBe(0);
  });

  it('removes the volumes the definitions mount even without labels, and other volumes labelled with the project', async () => {
    const engine = new FakeEngine();
    const stack = new DockerStack(engine, 'demo');
    await engine.volumes.create({ name: 'demo_redis-data', labels: {} });
    await engine.volumes.create({ name: 'demo_old-data', labels: { [LABELS.composeProject]: 'demo' } });
    await engine.volumes.create({ name: 'other_redis-data', labels: { [LABELS.composeProject]: 'other' } });
    const removed = await stack.teardown({ volumes: ['demo_redis-data', 'demo_never-created'] });
    expect(removed.volumes).toEqual(['demo_redis-data', 'demo_old-data']);
    expect([...engine.volumes.all.keys()]).toEqual(['other_redis-data']);
  });
});
