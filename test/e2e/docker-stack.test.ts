import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadStack } from '../../src/config/stack-context.js';
import { LABELS } from '../../src/runtime/labels.js';
import { resolveEndpoint, SERVICES, serviceByName } from '../../src/services/catalog.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { createRedisClient } from '../../src/services/redis/client.js';
import { COMPOSE_FILE } from '../../src/stack/compose-file.js';
import { runCli } from '../support/cli.js';
import { missingComposeTool, runCompose } from '../support/compose-tool.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { localImages, missingDockerImages } from '../support/docker-gate.js';
import { downShape, errorShape, statusShape, upShape } from '../support/json-shapes.js';

const { freePort } = createPortAllocator();

/**
 * The built CLI (`npm run build` first) against the real Docker Engine, with the locally built images, in its own
 * project and on non-default ports so that it never touches a developer's stack or the native test servers.
 */
// Its own project and free ports per run: never a developer's stack, the native servers, or a parallel run.
const RUN = `e2e${process.pid}`;
const PROJECT = `apex-${RUN}`;
const PORTS = { postgres: await freePort(), redis: await freePort() };
const docker = new Docker();

const missing = await missingDockerImages(['postgres', 'redis']);
const composeMissing = await missingComposeTool();

function projectDir(project: string, services: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), `${project}-`));
  writeFileSync(join(dir, 'apex.config.yaml'), stringify({ project, services }));
  return dir;
}

const apex = runCli;

const projectContainers = (project: string) => docker.listContainers({ all: true, filters: { label: [`${LABELS.composeProject}=${project}`] } });
const projectVolumes = async (project: string) => (await docker.listVolumes({ filters: { label: [`${LABELS.composeProject}=${project}`] } })).Volumes ?? [];
const projectNetworks = (project: string) => docker.listNetworks({ filters: { label: [`${LABELS.composeProject}=${project}`] } });

// Containers start slowly on a busy 2-core machine: each step may take minutes, never forever.
describe.skipIf(missing)('apex on the Docker Engine (built CLI)', { timeout: 300_000 }, () => {
  const images = missing ? {} : localImages();
  const dir = projectDir(PROJECT, {
    postgres: { image: images.postgres, ports: { postgres: PORTS.postgres } },
    redis: { image: images.redis, ports: { redis: PORTS.redis } },
  });

  async function query<T>(sql: string): Promise<T[]> {
    const { config, stack } = loadStack({ cwd: dir });
    const pool = createPostgresPool(resolveEndpoint(config, serviceByName('postgres')), stack.credentials, 1);
    try {
      return (await pool.query(sql)).rows as T[];
    } finally {
      await pool.end();
    }
  }

  beforeAll(async () => {
    await apex(dir, ['down', '--volumes', '--yes']);
  });
  afterAll(async () => {
    await apex(dir, ['down', '--volumes', '--yes']);
  });

  it('up --only postgres,redis starts both healthy; SELECT 1 and PING answer', async () => {
    const result = await apex(dir, ['up', '--only', 'postgres,redis', '--json']);
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    const up = upShape.parse(JSON.parse(result.stdout));
    expect(up.services.map((service) => [service.service, service.change, service.healthy])).toEqual([
      ['postgres', 'created', true],
      ['redis', 'created', true],
    ]);
    expect(up.envFileCreated).toBe(true);
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(up.endpoints.find((endpoint) => endpoint.service === 'postgres')?.credentials.password).toBe('********');

    expect(await query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const { config, stack } = loadStack({ cwd: dir });
    const redis = createRedisClient(resolveEndpoint(config, serviceByName('redis')), stack.credentials);
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }

    const containers = await projectContainers(PROJECT);
    expect(containers.map((info) => info.Names[0]).sort()).toEqual([`/${PROJECT}-postgres-1`, `/${PROJECT}-redis-1`]);
    const postgres = containers.find((info) => info.Labels[LABELS.composeService] === 'postgres')!;
    expect(postgres.Ports).toContainEqual(expect.objectContaining({ IP: '127.0.0.1', PublicPort: PORTS.postgres, PrivatePort: 5432 }));
    expect(postgres.Labels[LABELS.composeOneoff]).toBe('False');
    expect((await projectNetworks(PROJECT)).map((network) => network.Name)).toEqual([`${PROJECT}_default`]);
  });

  it('up again changes nothing: same containers, reported unchanged', async () => {
    const before = (await projectContainers(PROJECT)).map((info) => info.Id).sort();
    const result = await apex(dir, ['up', '--only', 'postgres,redis', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const up = upShape.parse(JSON.parse(result.stdout));
    expect(up.unchanged).toBe(true);
    expect(up.services.every((service) => service.change === 'unchanged')).toBe(true);
    expect((await projectContainers(PROJECT)).map((info) => info.Id).sort()).toEqual(before);
    console.info(`idempotent up took ${up.durationMs} ms inside the CLI`);
  });

  describe.skipIf(composeMissing)('plain docker-compose (v1.29) on what apex started', () => {
    const lines = (text: string): string[] => text.split('\n').filter(Boolean).sort();

    it("`ps` with the exported file lists exactly apex's containers, running", async () => {
      const exported = await apex(dir, ['compose', 'export']);
      expect(exported.exitCode, exported.stderr).toBe(0);
      // The usage line the file carries, run from the project directory with the .env apex up wrote.
      const compose = (args: string[]) => runCompose(dir, ['-p', PROJECT, '--env-file', '.env', '-f', COMPOSE_FILE, ...args]);
      const apexContainers = await projectContainers(PROJECT);
      expect(apexContainers.map((info) => [info.Labels[LABELS.composeService], info.State]).sort()).toEqual([
        ['postgres', 'running'],
        ['redis', 'running'],
      ]);

      const ids = await compose(['ps', '--quiet']);
      expect(ids.exitCode, ids.stderr).toBe(0);
      expect(lines(ids.stdout)).toEqual(apexContainers.map((info) => info.Id).sort());
      const running = await compose(['ps', '--services', '--filter', 'status=running']);
      expect(running.exitCode, running.stderr).toBe(0);
      expect(lines(running.stdout)).toEqual(['postgres', 'redis']);
    });

    it('`config -q` accepts the committed compose/docker-compose.yml, every service in it', async () => {
      const committed = fileURLToPath(new URL(`../../${COMPOSE_FILE}`, import.meta.url));
      const config = (args: string[]) => runCompose(dir, ['--env-file', join(dir, '.env'), '-f', committed, ...args]);
      const quiet = await config(['config', '-q']);
      expect(quiet.exitCode, quiet.stderr).toBe(0);
      const services = await config(['--profile', 'observability', 'config', '--services']);
      expect(services.exitCode, services.stderr).toBe(0);
      expect(lines(services.stdout)).toEqual(SERVICES.map((service) => service.name).sort());
    });
  });

  it('status --json reports state, health, ports, uptime, image and the probe per service', async () => {
    const result = await apex(dir, ['status', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const status = statusShape.parse(JSON.parse(result.stdout));
    const postgres = status.services.find((service) => service.service === 'postgres')!;
    expect(postgres).toMatchObject({
      state: 'running',
      containerHealth: 'healthy',
      image: images.postgres,
      ports: [{ name: 'postgres', host: PORTS.postgres, container: 5432, bindAddress: '127.0.0.1' }],
      probe: { service: 'postgres', ok: true },
    });
    expect(postgres.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(status.services.find((service) => service.service === 'neo4j')?.state).toBe('missing');
  });

  it('a changed definition recreates only that container', async () => {
    const config = {
      project: PROJECT,
      services: { postgres: { image: images.postgres, ports: { postgres: PORTS.postgres } }, redis: { image: images.redis, ports: { redis: PORTS.redis } } },
    };
    const movedRedisPort = await freePort();
    const before = new Map((await projectContainers(PROJECT)).map((info) => [info.Labels[LABELS.composeService], info.Id]));
    writeFileSync(
      join(dir, 'apex.config.yaml'),
      stringify({ ...config, services: { ...config.services, redis: { ...config.services.redis, ports: { redis: movedRedisPort } } } }),
    );
    try {
      const result = await apex(dir, ['up', '--only', 'postgres,redis', '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(upShape.parse(JSON.parse(result.stdout)).services.map((service) => [service.service, service.change])).toEqual([
        ['postgres', 'unchanged'],
        ['redis', 'recreated'],
      ]);
      const after = new Map((await projectContainers(PROJECT)).map((info) => [info.Labels[LABELS.composeService], info]));
      expect(after.get('postgres')?.Id).toBe(before.get('postgres'));
      expect(after.get('redis')?.Id).not.toBe(before.get('redis'));
      expect(after.get('redis')?.Ports).toContainEqual(expect.objectContaining({ PublicPort: movedRedisPort }));
    } finally {
      writeFileSync(join(dir, 'apex.config.yaml'), stringify(config));
    }
    const restored = await apex(dir, ['up', '--only', 'postgres,redis']);
    expect(restored.exitCode, restored.stderr).toBe(0);
  });

  it("logs prints a service's container output", async () => {
    const result = await apex(dir, ['logs', 'redis', '--tail', '20']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Ready to accept connections');
  });

  it('down keeps the data: a row written before is there after down and up', async () => {
    await query("CREATE TABLE IF NOT EXISTS e2e_kept (value text); INSERT INTO e2e_kept VALUES ('survives down')");
    const down = await apex(dir, ['down', '--json']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(downShape.parse(JSON.parse(down.stdout))).toMatchObject({ dataKept: true, volumes: [], networks: [`${PROJECT}_default`] });
    expect(await projectContainers(PROJECT)).toEqual([]);
    expect((await projectVolumes(PROJECT)).map((volume) => volume.Name).sort()).toEqual([`${PROJECT}_postgres-data`, `${PROJECT}_redis-data`]);

    const up = await apex(dir, ['up', '--only', 'postgres,redis']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(await query<{ value: string }>('SELECT value FROM e2e_kept')).toEqual([{ value: 'survives down' }]);
  });

  it('down --volumes needs --yes off a terminal, and removes nothing without it', async () => {
    const refused = await apex(dir, ['down', '--volumes']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('`apex down --volumes` deletes every database of the stack and needs confirmation.');
    expect(refused.stderr).toContain('apex down --volumes --yes');
    expect(await projectContainers(PROJECT)).toHaveLength(2);
  });

  it('down --volumes --yes removes the data', async () => {
    const down = await apex(dir, ['down', '--volumes', '--yes', '--json']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(downShape.parse(JSON.parse(down.stdout)).volumes.sort()).toEqual([`${PROJECT}_postgres-data`, `${PROJECT}_redis-data`]);
    expect(await projectVolumes(PROJECT)).toEqual([]);
    const up = await apex(dir, ['up', '--only', 'postgres']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(await query<{ table: string | null }>("SELECT to_regclass('e2e_kept')::text AS table")).toEqual([{ table: null }]);
  });

  describe('errors', () => {
    let holder: Server;
    const conflictProject = `apex-${RUN}-conflict`;

    beforeAll(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen({ port: 0, host: '127.0.0.1' }, resolve));
    });
    afterAll(() => holder.close());

    it('a taken port: message names the holder, the fix names the config key, exit 1, nothing created (not even .env)', async () => {
      const port = (holder.address() as { port: number }).port;
      const conflictDir = projectDir(conflictProject, { postgres: { image: images.postgres, ports: { postgres: port } } });
      const result = await apex(conflictDir, ['up', '--only', 'postgres']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`Port ${port} (postgres postgres) on 127.0.0.1 is already in use by process ${process.pid}`);
      expect(result.stderr).toContain('Nothing was created.');
      expect(result.stderr).toContain('services.postgres.ports.postgres: <free port>');
      expect(await projectContainers(conflictProject)).toEqual([]);
      expect(await projectNetworks(conflictProject)).toEqual([]);
      expect(await projectVolumes(conflictProject)).toEqual([]);
      expect(existsSync(join(conflictDir, '.env'))).toBe(false);
    });

    it('Docker not running: answered within a second of CLI startup, with the fix', async () => {
      const initDir = mkdtempSync(join(tmpdir(), 'apex-e2e-nodocker-'));
      expect((await apex(initDir, ['init'])).exitCode).toBe(0);
      // Medians of interleaved runs, so that a busy machine slows both sides alike.
      const startup: number[] = [];
      const answered: number[] = [];
      let result: Awaited<ReturnType<typeof apex>> | undefined;
      for (let run = 0; run < 3; run++) {
        let started = performance.now();
        await apex(initDir, ['--version']);
        startup.push(performance.now() - started);
        started = performance.now();
        result = await apex(initDir, ['status', '--json'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
        answered.push(performance.now() - started);
      }
      expect(result?.exitCode).toBe(1);
      const { error } = errorShape.parse(JSON.parse(result!.stdout));
      expect(error.code).toBe('DOCKER_UNREACHABLE');
      expect(error.message).toContain('unix:///nonexistent.sock (DOCKER_HOST)');
      expect(error.fix).toContain('sudo systemctl start docker');
      const median = (values: number[]): number => [...values].sort((x, y) => x - y)[1];
      console.info(`docker-not-running answered in ${median(answered).toFixed(0)} ms; bare CLI startup ${median(startup).toFixed(0)} ms`);
      // A second on an idle machine; on a loaded one no more than a bare CLI start (a connect timeout would be far longer).
      expect(median(answered) - median(startup)).toBeLessThan(Math.max(1_000, median(startup)));
    });

    it('an image that is missing with no registry reachable: IMAGE_MISSING with both fixes, no container', async () => {
      const project = `apex-${RUN}-noimage`;
      const missingDir = projectDir(project, { redis: { image: 'apex-local/not-built:0', ports: { redis: await freePort() } } });
      const result = await apex(missingDir, ['up', '--only', 'redis', '--json']);
      expect(result.exitCode).toBe(1);
      const { error } = errorShape.parse(JSON.parse(result.stdout));
      expect(error.code).toBe('IMAGE_MISSING');
      expect(error.message).toMatch(/^Image apex-local\/not-built:0 for redis is not on this machine and could not be pulled: /);
      expect(error.fix).toContain('services.redis.image: <local image>');
      expect(await projectContainers(project)).toEqual([]);
      await apex(missingDir, ['down', '--volumes', '--yes']);
    });

    it('a service unhealthy at its timeout: its health output and last log lines, exit 1', async () => {
      const project = `apex-${RUN}-slow`;
      const slowDir = projectDir(project, { postgres: { image: images.postgres, ports: { postgres: await freePort() } } });
      await apex(slowDir, ['down', '--volumes', '--yes']);
      try {
        // Docker runs the first health check after one interval (2 s): a 1 s timeout cannot be met.
        const result = await apex(slowDir, ['up', '--only', 'postgres', '--timeout', '1']);
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain('postgres did not become healthy.');
        expect(result.stderr).toContain('postgres: not healthy after 1 s: docker health check: starting');
        expect(result.stderr).toContain(`log lines of ${project}-postgres-1:`);
        expect(result.stderr).toContain('services.postgres.healthTimeoutSeconds');
      } finally {
        await apex(slowDir, ['down', '--volumes', '--yes']);
      }
      expect(await projectContainers(project)).toEqual([]);
    });

    it('Ctrl-C during up: the next up converges, and down leaves nothing', async () => {
      const project = `apex-${RUN}-sigint`;
      const sigDir = projectDir(project, {
        postgres: { image: images.postgres, ports: { postgres: await freePort() } },
        redis: { image: images.redis, ports: { redis: await freePort() } },
      });
      await apex(sigDir, ['down', '--volumes', '--yes']);
      try {
        const interrupted = apex(sigDir, ['up', '--only', 'postgres,redis']);
        for (let tries = 0; tries < 300 && (await projectContainers(project)).length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
        interrupted.kill('SIGINT');
        const result = await interrupted;
        expect(result.exitCode).toBe(130);
        expect(result.stderr).toContain('Interrupted. Run `apex up` again to finish, or `apex down` to remove what was started.');

        const resumed = await apex(sigDir, ['up', '--only', 'postgres,redis', '--json']);
        expect(resumed.exitCode, resumed.stderr + resumed.stdout).toBe(0);
        expect(upShape.parse(JSON.parse(resumed.stdout)).services.every((service) => service.healthy)).toBe(true);
        expect((await projectContainers(project)).map((info) => info.State)).toEqual(['running', 'running']);
      } finally {
        const down = await apex(sigDir, ['down', '--volumes', '--yes']);
        expect(down.exitCode, down.stderr).toBe(0);
      }
      expect(await projectContainers(project)).toEqual([]);
      expect(await projectVolumes(project)).toEqual([]);
      expect(await projectNetworks(project)).toEqual([]);
    });

    it('an invalid config: file, line, key path and exit 2, before touching docker', async () => {
      const badDir = mkdtempSync(join(tmpdir(), 'apex-e2e-bad-'));
      writeFileSync(join(badDir, 'apex.config.yaml'), 'project: apex-e2e-bad\nservices:\n  redis:\n    port: 1\n');
      const result = await apex(badDir, ['up']);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`${join(badDir, 'apex.config.yaml')}:4: services.redis: unknown key "port"`);
    });
  });
});
