import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApexError } from '../../../src/errors.js';
import { createPortAllocator } from '../../../src/runtime/ports.js';
import { serviceByName } from '../../../src/services/catalog.js';
import { runUp } from '../../../src/stack/up.js';
import { silentProgress } from '../../../src/ui/progress.js';
import { FakeEngine, fakeDockerEngine } from '../../support/fake-engine.js';

const { freePort } = createPortAllocator();

describe('runUp', () => {
  it('writes no .env when the preflight fails (a port taken), so that nothing is left half-done', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (holder.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'apex-up-'));
    writeFileSync(join(dir, 'apex.config.yaml'), `project: apex-up-unit\nservices:\n  redis:\n    ports: { redis: ${port} }\n`);
    const engine = new FakeEngine();
    try {
      const failure = await runUp(
        { cwd: dir, processEnv: {} },
        { only: ['redis'], showSecrets: false },
        { progress: silentProgress, engine: fakeDockerEngine(engine) },
      ).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApexError);
      expect((failure as ApexError).code).toBe('PORT_IN_USE');
      expect((failure as ApexError).message).toContain(`Port ${port} (redis redis) on 127.0.0.1 is already in use`);
      expect(existsSync(join(dir, '.env'))).toBe(false);
      expect([engine.containers.all.size, engine.networks.all.size, engine.volumes.all.size]).toEqual([0, 0, 0]);
    } finally {
      holder.close();
    }
  });

  it('fails with VOLUME_INCOMPATIBLE before creating anything or writing .env when a data volume holds what its image cannot use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-up-'));
    const port = await freePort();
    writeFileSync(join(dir, 'apex.config.yaml'), `project: apex-up-unit\nservices:\n  postgres:\n    ports: { postgres: ${port} }\n`);
    const engine = new FakeEngine();
    await engine.volumes.create({ name: 'apex-up-unit_postgres-data', labels: {} });
    engine.imageRuns.set(serviceByName('postgres').defaultImage, { logLines: ['a PostgreSQL 14 data directory; the image runs PostgreSQL 15'], exitCode: 0 });
    const failure = await runUp(
      { cwd: dir, processEnv: {} },
      { only: ['postgres'], showSecrets: false },
      { progress: silentProgress, engine: fakeDockerEngine(engine) },
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'VOLUME_INCOMPATIBLE', exitCode: 1 });
    expect((failure as ApexError).message).toBe(
      'postgres cannot use volume apex-up-unit_postgres-data: it holds a PostgreSQL 14 data directory; the image runs PostgreSQL 15.',
    );
    expect((failure as ApexError).fix).toContain('`docker volume rm apex-up-unit_postgres-data`');
    expect(existsSync(join(dir, '.env'))).toBe(false);
    expect([engine.containers.all.size, engine.networks.all.size, [...engine.volumes.all.keys()]]).toEqual([0, 0, ['apex-up-unit_postgres-data']]);
  });
});
