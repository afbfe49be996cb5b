import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadStack } from '../../src/config/stack-context.js';
import { LABELS } from '../../src/runtime/labels.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { createRedisClient } from '../../src/services/redis/client.js';
import { localImages, missingDockerImages } from '../support/docker-gate.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { resetShape } from '../support/json-shapes.js';

const { freePort } = createPortAllocator();

/** `apex reset --hard` through the built CLI on the Docker Engine, in its own project and ports. */
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const PROJECT = 'apex-hard-e2e';
const docker = new Docker();
const missing = await missingDockerImages(['postgres', 'redis']);
const PORTS = { postgres: await freePort(), redis: await freePort() };

describe.skipIf(missing)('apex reset --hard on the Docker Engine (built CLI)', () => {
  const images = missing ? {} : localImages();
  const dir = mkdtempSync(join(tmpdir(), `${PROJECT}-`));
  writeFileSync(
    join(dir, 'apex.config.yaml'),
    stringify({
      project: PROJECT,
      services: { postgres: { image: images.postgres, ports: { postgres: PORTS.postgres } }, redis: { image: images.redis, ports: { redis: PORTS.redis } } },
    }),
  );
  const apex = (args: string[]) => execa('node', [BIN, ...args], { cwd: dir, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } });
  const containerIds = async () =>
    (await docker.listContainers({ all: true, filters: { label: [`${LABELS.composeProject}=${PROJECT}`] } })).map((info) => info.Id).sort();

  async function withClients<T>(use: (pg: ReturnType<typeof createPostgresPool>, redis: ReturnType<typeof createRedisClient>) => Promise<T>) {
    const { config, stack } = loadStack({ cwd: dir });
    const pg = createPostgresPool(resolveEndpoint(config, serviceByName('postgres')), stack.credentials, 1);
    const redis = createRedisClient(resolveEndpoint(config, serviceByName('redis')), stack.credentials);
    try {
      await redis.connect();
      return await use(pg, redis);
    } finally {
      await pg.end();
      redis.disconnect();
    }
  }

  beforeAll(async () => {
    await apex(['down', '--volumes', '--yes']);
    const up = await apex(['up', '--only', 'postgres,redis', '--json']);
    expect(up.exitCode, up.stderr + up.stdout).toBe(0);
  });
  afterAll(() => apex(['down', '--volumes', '--yes']));

  it('recreates the containers and volumes, then seeds: data gone, schema fresh, within 30 s', async () => {
    const before = await containerIds();
    const appliedBefore = await withClients(async (pg, redis) => {
      await pg.query(
        "INSERT INTO documents (uuid, run_id, file_name, s3_key, content_hash, status) VALUES (gen_random_uuid(), 'hard', 'a.txt', 'k', 'h', 'done')",
      );
      await pg.query('CREATE TABLE hand_made (x int)');
      await redis.set('apex:doc:hard:1', 'x');
      return (await pg.query('SELECT applied_at::text AS at FROM schema_migrations')).rows[0].at as string;
    });

    const started = performance.now();
    const reset = await apex(['reset', '--hard', '--service', 'postgres,redis', '--yes', '--json']);
    const seconds = (performance.now() - started) / 1000;
    expect(reset.exitCode, reset.stderr + reset.stdout).toBe(0);
    const payload = resetShape.parse(JSON.parse(reset.stdout));
    expect(payload.results.map((result) => [result.service, result.mode, result.ok])).toEqual([
      ['postgres', 'hard', true],
      ['redis', 'hard', true],
    ]);
    expect(payload.results[0].cleared).toEqual([`removed container ${PROJECT}-postgres-1`, `removed volume ${PROJECT}_postgres-data`]);
    expect(payload.results[0].applied).toEqual(['migration 001_documents']);
    console.info(`apex reset --hard (postgres, redis) took ${seconds.toFixed(1)} s end to end`);
    expect(seconds).toBeLessThan(30);

    const after = await containerIds();
    expect(after).toHaveLength(2);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    await withClients(async (pg, redis) => {
      expect((await pg.query('SELECT count(*)::int AS n FROM documents')).rows[0].n).toBe(0);
      expect((await pg.query("SELECT to_regclass('hand_made') AS t")).rows[0].t).toBeNull();
      const applied = (await pg.query('SELECT applied_at::text AS at FROM schema_migrations')).rows;
      expect(applied).toHaveLength(1);
      expect(applied[0].at).not.toBe(appliedBefore);
      expect(await redis.get('apex:doc:hard:1')).toBeNull();
      expect(await redis.get('apex:schema_version')).toBe('1');
    });
  });

  it('refuses --hard on the external runtime: apex started nothing there', async () => {
    const result = await apex(['reset', '--hard', '--yes', '--runtime', 'external', '--service', 'redis']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.replace(/\s*›\s*/g, ' ')).toContain('runtime is external: apex started nothing');
  });
});
