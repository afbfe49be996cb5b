import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CREDENTIAL_KEYS } from '../../src/config/credentials.js';
import { LABELS } from '../../src/runtime/labels.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { LOCK_DIR } from '../../src/runtime/project-lock.js';
import { runCli, ONLY_PROJECT_CREDENTIALS } from '../support/cli.js';
import { localImages, missingDockerImages } from '../support/docker-gate.js';
import { downShape, errorShape } from '../support/json-shapes.js';

/**
 * Faults around the stack itself, through the built CLI on the real Docker Engine with the local images: a data
 * volume apex cannot use, a volume apex did not label, and two `apex up` at once. Its own project and free ports.
 */
const PROJECT = `apex-faults${process.pid}`;
const POSTGRES_VOLUME = `${PROJECT}_postgres-data`;
const REDIS_VOLUME = `${PROJECT}_redis-data`;
const docker = new Docker();
const missing = await missingDockerImages(['postgres']);

const apex = (dir: string, args: readonly string[]) => runCli(dir, args, ONLY_PROJECT_CREDENTIALS);
const projectContainers = () => docker.listContainers({ all: true, filters: { label: [`${LABELS.composeProject}=${PROJECT}`] } });
const volumeExists = async (name: string): Promise<boolean> =>
  ((await docker.listVolumes({ filters: { name: [name] } })).Volumes ?? []).some((volume) => volume.Name === name);

/** Runs `script` with sh in a throwaway container of `image`, with `volume` mounted at /data. */
async function inVolume(image: string, volume: string, script: string): Promise<void> {
  const container = await docker.createContainer({ Image: image, Entrypoint: ['sh', '-c', script], HostConfig: { Binds: [`${volume}:/data`] } });
  try {
    await container.start();
    expect(((await container.wait()) as { StatusCode: number }).StatusCode).toBe(0);
  } finally {
    await container.remove({ force: true });
  }
}

describe.skipIf(missing)('stack faults: unusable and unlabelled volumes, two ups at once (built CLI, Docker)', { timeout: 240_000 }, () => {
  const image = missing ? '' : localImages().postgres;
  const dir = mkdtempSync(join(tmpdir(), `${PROJECT}-`));
  const { freePort } = createPortAllocator();

  beforeAll(async () => {
    writeFileSync(join(dir, 'apex.config.yaml'), stringify({ project: PROJECT, services: { postgres: { image, ports: { postgres: await freePort() } } } }));
    await apex(dir, ['down', '--volumes', '--yes']);
  });
  afterAll(async () => {
    await apex(dir, ['down', '--volumes', '--yes']);
  });

  it('up on a PostgreSQL 14 data volume fails at once naming the volume, what it holds and the command, creating nothing', async () => {
    await docker.createVolume({ Name: POSTGRES_VOLUME });
    await inVolume(image, POSTGRES_VOLUME, 'echo 14 > /data/PG_VERSION');

    const started = performance.now();
    const up = await apex(dir, ['up', '--only', 'postgres', '--json']);
    const seconds = (performance.now() - started) / 1000;
    expect(up.exitCode, up.stderr).toBe(1);
    const { error } = errorShape.parse(JSON.parse(up.stdout));
    expect(error.code).toBe('VOLUME_INCOMPATIBLE');
    // The major is read from the image the stack runs: the local image, apex-local/postgres:17.
    expect(error.message).toBe(`postgres cannot use volume ${POSTGRES_VOLUME}: it holds a PostgreSQL 14 data directory; the image runs PostgreSQL 17.`);
    expect(error.fix).toContain(`\`docker volume rm ${POSTGRES_VOLUME}\``);
    expect(error.fix).toContain('`apex down --volumes --yes`');
    // Well under postgres's 60 s health timeout: the volume is checked before anything starts.
    expect(seconds).toBeLessThan(20);
    console.info(`up on a PostgreSQL 14 volume failed after ${seconds.toFixed(1)} s`);
    expect(await projectContainers()).toEqual([]);
    expect(existsSync(join(dir, '.env'))).toBe(false);
  });

  it('down --volumes removes every volume the stack mounts, labelled or not (the unusable one, one made by hand), and says which', async () => {
    await docker.createVolume({ Name: REDIS_VOLUME });
    const down = await apex(dir, ['down', '--volumes', '--yes', '--json']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(downShape.parse(JSON.parse(down.stdout)).volumes.sort()).toEqual([POSTGRES_VOLUME, REDIS_VOLUME]);
    expect(await volumeExists(POSTGRES_VOLUME)).toBe(false);
    expect(await volumeExists(REDIS_VOLUME)).toBe(false);
  });

  it('then two `apex up` at once: one starts afresh, the other waits for it; one stack, one .env with the passwords the container runs with', async () => {
    expect(existsSync(join(dir, '.env'))).toBe(false);
    const [first, second] = await Promise.all([apex(dir, ['up', '--only', 'postgres']), apex(dir, ['up', '--only', 'postgres'])]);
    const outputs = [first, second].map((result) => `${result.stdout}\n${result.stderr}`);
    expect([first.exitCode, second.exitCode], outputs.join('\n----\n')).toEqual([0, 0]);
    for (const output of outputs) expect(output).not.toContain('is not part of project');
    const waited = outputs.filter((output) => /Waiting for `apex up` \(pid \d+\) started \d+ s ago on .+ to finish/.test(output));
    expect(waited).toHaveLength(1);
    expect(waited[0]).toContain('already up and healthy; nothing changed');
    expect(outputs.filter((output) => output.includes('postgres healthy'))).toHaveLength(1);

    const containers = await projectContainers();
    expect(containers.map((info) => [info.Names[0], info.State])).toEqual([[`/${PROJECT}-postgres-1`, 'running']]);
    const details = await docker.getContainer(containers[0].Id).inspect();
    expect(details.State.Health?.Status).toBe('healthy');
    const env = parseDotenv(readFileSync(join(dir, '.env')));
    const password = env[CREDENTIAL_KEYS.postgresPassword];
    expect(password).toMatch(/^\S{16,}$/);
    expect(details.Config.Env).toContain(`POSTGRES_PASSWORD=${password}`);
    expect(readFileSync(join(dir, '.env'), 'utf8').match(new RegExp(`^${CREDENTIAL_KEYS.postgresPassword}=`, 'gm'))).toHaveLength(1);
    expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
  });
});
