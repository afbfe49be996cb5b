import { describe, expect, it } from 'vitest';
import { generatedEnv, readCredentials } from '../../../src/config/credentials.js';
import { configSchema } from '../../../src/config/schema.js';
import { containerName } from '../../../src/runtime/labels.js';
import { serviceByName } from '../../../src/services/catalog.js';
import { dockerHealthProbe } from '../../../src/stack/docker-health.js';
import { FakeEngine, type FakeContainer } from '../../support/fake-engine.js';

const stack = {
  config: configSchema.parse({ project: 'demo' }),
  credentials: readCredentials(generatedEnv(), '.env'),
  projectDir: '/p',
  templatesDir: '/t',
  env: {},
};
const postgres = serviceByName('postgres');

function probeOf(container: Partial<FakeContainer>) {
  const engine = new FakeEngine();
  engine.addContainer({ name: containerName('demo', 'postgres'), ...container });
  return dockerHealthProbe(engine.containers, stack)(postgres);
}

describe('dockerHealthProbe', () => {
  it('an exited container is fatal, with its exit code and the reason the engine gives', async () => {
    expect(await probeOf({ state: 'exited', exitCode: 137, error: 'OOMKilled' })).toEqual({
      ok: false,
      fatal: true,
      detail: 'container exited with code 137: OOMKilled',
    });
  });

  it("waits on docker's own health check, showing its last output", async () => {
    const health = { status: 'starting', lastCheck: { exitCode: 2, output: 'connecting\n/var/run/postgresql:5432 - no response\n' } };
    expect(await probeOf({ health })).toEqual({
      ok: false,
      detail: 'docker health check: starting (exit 2: connecting / /var/run/postgresql:5432 - no response)',
    });
  });
});
