import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { LABELS } from '../../src/runtime/labels.js';
import { ONLY_PROJECT_CREDENTIALS, runCli } from '../support/cli.js';
import { localImages, missingDockerImages } from '../support/docker-gate.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { errorShape } from '../support/json-shapes.js';

const { freePort } = createPortAllocator();

/**
 * The built CLI (`npm run build` first) on the real Docker Engine with the local images: a PostgreSQL volume created
 * with one password, and a .env that now holds another.
 */
const PROJECT = `apex-e2ecred${process.pid}`;
const docker = new Docker();
const missing = await missingDockerImages(['postgres']);

const projectVolumes = async () => (await docker.listVolumes({ filters: { label: [`${LABELS.composeProject}=${PROJECT}`] } })).Volumes ?? [];
const projectContainers = () => docker.listContainers({ all: true, filters: { label: [`${LABELS.composeProject}=${PROJECT}`] } });

describe.skipIf(missing)('apex up with a password the data volume does not know (built CLI)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), `${PROJECT}-`));
  // The CLI must read the passwords from this test's .env: the CI servers' credentials in the environment would win.
  const apex = (args: readonly string[]) => runCli(dir, args, ONLY_PROJECT_CREDENTIALS);
  const envFile = join(dir, '.env');
  const newPassword = `changed-${randomBytes(9).toString('hex')}`;
  let oldEnv = '';

  beforeAll(async () => {
    const services = missing ? {} : { postgres: { image: localImages().postgres, ports: { postgres: await freePort() } } };
    writeFileSync(join(dir, 'apex.config.yaml'), stringify({ project: PROJECT, services }));
  });
  afterAll(async () => {
    const down = await apex(['down', '--volumes', '--yes']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await projectContainers()).toEqual([]);
    expect(await projectVolumes()).toEqual([]);
  });

  it('fails at once with exit 1, naming postgres and POSTGRES_PASSWORD and the fix, never the password', async () => {
    const first = await apex(['up', '--only', 'postgres']);
    expect(first.exitCode, first.stderr).toBe(0);
    oldEnv = readFileSync(envFile, 'utf8');
    const oldPassword = /^POSTGRES_PASSWORD=(.+)$/m.exec(oldEnv)?.[1];
    expect(oldPassword).toBeDefined();
    writeFileSync(envFile, oldEnv.replace(/^POSTGRES_PASSWORD=.+$/m, `POSTGRES_PASSWORD=${newPassword}`));
    const down = await apex(['down']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect((await projectVolumes()).map((volume) => volume.Name)).toEqual([`${PROJECT}_postgres-data`]);

    const started = performance.now();
    const rejected = await apex(['up', '--only', 'postgres']);
    console.info(`up with a rejected password failed after ${((performance.now() - started) / 1000).toFixed(1)} s (postgres health timeout: 60 s)`);
    expect(rejected.exitCode).toBe(1);
    expect(rejected.stderr).toContain(`Error: postgres rejected POSTGRES_PASSWORD from ${envFile}.`);
    expect(rejected.stderr).toContain('postgres rejected the credentials: password authentication failed for user "apex"');
    expect(rejected.stderr).toContain('Put the old value back in .env');
    expect(rejected.stderr).toContain('`apex down --volumes --yes` then `apex up` (deletes the data of every service)');
    expect(rejected.stderr).not.toContain('did not become healthy');

    // Again with --json: the error's code says the wait ended on the refusal, not at the health timeout.
    const json = await apex(['up', '--only', 'postgres', '--json']);
    expect(json.exitCode).toBe(1);
    const { error } = errorShape.parse(JSON.parse(json.stdout));
    expect(error).toMatchObject({ code: 'CREDENTIALS_REJECTED', message: `postgres rejected POSTGRES_PASSWORD from ${envFile}.` });

    for (const output of [rejected.stdout, rejected.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(newPassword);
      expect(output).not.toContain(oldPassword);
    }
    expect((await projectVolumes()).map((volume) => volume.Name)).toEqual([`${PROJECT}_postgres-data`]);
  });

  it('the first fix works: with the old password back in .env, up succeeds on the kept volume', async () => {
    expect(oldEnv).not.toBe('');
    writeFileSync(envFile, oldEnv);
    const up = await apex(['up', '--only', 'postgres']);
    expect(up.exitCode, up.stderr).toBe(0);
  });

  it('a .env that lacks some passwords gets only those added: the ones in it are kept, and the volume still accepts them', async () => {
    const lacking = ['NEO4J_PASSWORD', 'REDIS_PASSWORD', 'GRAFANA_ADMIN_PASSWORD'];
    const trimmed = oldEnv
      .split('\n')
      .filter((line) => !lacking.some((key) => line.startsWith(`${key}=`)))
      .join('\n');
    writeFileSync(envFile, trimmed, { mode: 0o644 });
    const before = await apex(['status']);
    expect(before.exitCode).toBe(2);
    expect(before.stderr).toContain(`${lacking.join(', ')} are not set`);
    expect(before.stderr).toContain('Run `apex up`: it adds the missing passwords to .env and keeps the ones there.');

    const up = await apex(['up', '--only', 'postgres', '--json']);
    expect(up.exitCode, up.stderr).toBe(0);
    // postgres's own password did not change, so its container is left alone.
    expect(JSON.parse(up.stdout)).toMatchObject({ envFileCreated: false, envKeysAdded: lacking, unchanged: true });
    const completed = readFileSync(envFile, 'utf8');
    expect(completed.startsWith(trimmed)).toBe(true);
    for (const key of lacking) expect(completed).toMatch(new RegExp(`^${key}=[\\w-]{20,}$`, 'm'));
    expect(statSync(envFile).mode & 0o777).toBe(0o600);

    const status = await apex(['status', '--json']);
    const postgres = (JSON.parse(status.stdout) as { services: { service: string; probe?: { ok: boolean } }[] }).services.find(
      (entry) => entry.service === 'postgres',
    );
    expect(postgres?.probe?.ok, status.stdout + status.stderr).toBe(true);
    const again = await apex(['up', '--only', 'postgres', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ envKeysAdded: [], unchanged: true });
    expect(readFileSync(envFile, 'utf8')).toBe(completed);
  });
});
