import { describe, expect, it } from 'vitest';
import { generatedEnv, readCredentials } from '../../../../src/config/credentials.js';
import { configSchema } from '../../../../src/config/schema.js';
import { planContainer } from '../../../../src/runtime/docker/container-plan.js';
import { unusableVolumes } from '../../../../src/runtime/docker/volume-check.js';
import { serviceByName } from '../../../../src/services/catalog.js';
import { FakeEngine } from '../../../support/fake-engine.js';

const plan = planContainer(
  { config: configSchema.parse({ project: 'demo' }), credentials: readCredentials(generatedEnv(), '.env'), env: {}, projectDir: '/p', templatesDir: '/t' },
  serviceByName('postgres'),
);
const FOUND = 'a PostgreSQL 14 data directory; the image runs PostgreSQL 15';

describe('unusableVolumes', () => {
  it("runs postgres's data check on its volume, in the service's own image with the volume at the mount target", () => {
    expect(plan.volumeChecks).toEqual([{ volume: 'demo_postgres-data', target: '/var/lib/postgresql/data', script: expect.stringContaining('PG_VERSION') }]);
  });

  it('says what an existing volume holds when the check prints it, and removes its throwaway container', async () => {
    const engine = new FakeEngine();
    engine.imageRuns.set(plan.image, { logLines: [FOUND], exitCode: 0 });
    await engine.volumes.create({ name: 'demo_postgres-data', labels: {} });
    expect(await unusableVolumes(engine, plan)).toEqual([{ service: 'postgres', volume: 'demo_postgres-data', found: FOUND }]);
    expect(engine.containers.all.size).toBe(0);
  });

  it('checks nothing on a volume that does not exist yet (a first up)', async () => {
    const engine = new FakeEngine();
    engine.imageRuns.set(plan.image, { logLines: [FOUND], exitCode: 0 });
    expect(await unusableVolumes(engine, plan)).toEqual([]);
  });

  it('finds nothing when the check prints nothing, or could not run (exit code not 0)', async () => {
    const engine = new FakeEngine();
    await engine.volumes.create({ name: 'demo_postgres-data', labels: {} });
    expect(await unusableVolumes(engine, plan)).toEqual([]);
    engine.imageRuns.set(plan.image, { logLines: ['sh: postgres: not found'], exitCode: 127 });
    expect(await unusableVolumes(engine, plan)).toEqual([]);
  });
});
