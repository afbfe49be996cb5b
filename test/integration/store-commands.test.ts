import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { isolatedProjectDir, isolatedStack, ISOLATED, ISOLATED_ENV, recreateTestDatabase } from '../support/isolated-stack.js';
import { resetShape, seedShape, statusShape, upShape } from '../support/json-shapes.js';
import { missingServers } from '../support/servers.js';

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'temporal']);
const BIN = join(import.meta.dirname, '../../bin/run.js');
if (!missing && !existsSync(join(import.meta.dirname, '../../dist/commands/seed.js'))) {
  throw new Error('dist/ is missing: run `npm run build` (npm test does) before the command tests');
}

/** oclif wraps error lines at the terminal width and prefixes them with "›". */
const unwrap = (text: string): string => text.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ');

describe.skipIf(missing)('apex seed, reset and external up: the built CLI against the real servers', () => {
  const project = isolatedProjectDir();
  const run = (args: string[], env: Record<string, string> = {}) =>
    execa('node', [BIN, ...args], {
      cwd: project,
      reject: false,
      stdin: 'ignore',
      env: { ...ISOLATED_ENV, ...env },
    });

  beforeAll(() => recreateTestDatabase(isolatedStack().stack));

  it('`apex seed --json` seeds every store; a second run applies nothing', async () => {
    const first = await run(['seed', '--json']);
    expect(first.exitCode, first.stderr).toBe(0);
    const payload = seedShape.parse(JSON.parse(first.stdout));
    expect(payload).toMatchObject({ apiVersion: 1, ok: true });
    expect(payload.results.map((result) => result.service)).toEqual(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);
    const second = seedShape.parse(JSON.parse((await run(['seed', '--json'])).stdout));
    expect(second.results.flatMap((result) => result.applied)).toEqual([]);
  });

  it('`apex up --json` on the external runtime starts nothing: it seeds a never-seen namespace, then every store answers', async () => {
    const namespace = `apex-up-external-${randomBytes(4).toString('hex')}`;
    const dir = isolatedProjectDir();
    const configFile = join(dir, 'apex.config.yaml');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(`namespace: ${ISOLATED.namespace}`, `namespace: ${namespace}`));
    const result = await execa('node', [BIN, 'up', '--json'], { cwd: dir, reject: false, stdin: 'ignore', env: ISOLATED_ENV });
    expect(result.exitCode, result.stderr).toBe(0);
    const payload = upShape.parse(JSON.parse(result.stdout));
    expect(payload).toMatchObject({ runtime: 'external', envFileCreated: false });
    expect(payload.services).toEqual(
      ['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'].map((service) => ({ service, change: 'external', healthy: true })),
    );
    expect(payload.seed.find((seed) => seed.service === 'temporal')?.applied).toContain(`namespace ${namespace}`);
    expect(existsSync(join(dir, '.env'))).toBe(false);
  });

  it('a wrong POSTGRES_PASSWORD: exit 1 and an error that names the service and the key', async () => {
    const json = await run(['seed', '--only', 'postgres', '--json'], { POSTGRES_PASSWORD: 'wrong-password' });
    expect(json.exitCode).toBe(1);
    const [result] = seedShape.parse(JSON.parse(json.stdout)).results;
    expect(result).toMatchObject({ service: 'postgres', ok: false });
    expect(result.error).toContain('postgres rejected the credentials');
    expect(result.fix).toContain('POSTGRES_PASSWORD');

    const human = await run(['seed', '--only', 'postgres'], { POSTGRES_PASSWORD: 'wrong-password' });
    expect(human.exitCode).toBe(1);
    const stderr = unwrap(human.stderr);
    expect(stderr).toContain('Seeding failed for postgres.');
    expect(stderr).toContain('postgres rejected the credentials: password authentication failed for user "apex"');
    expect(stderr).toContain(`postgres: Set POSTGRES_PASSWORD in ${join(project, '.env')}`);
    expect(stderr).not.toContain('wrong-password');
  });

  it('no POSTGRES_PASSWORD for a server that asks for one: `apex status` names the key and exits at once', async () => {
    // The server holds a login it is still waiting on for its authentication_timeout (60 s): a client that does not
    // hang up keeps the command from exiting that long, so it runs under a bound well below that.
    const result = await execa('node', [BIN, 'status', '--json'], {
      cwd: project,
      reject: false,
      stdin: 'ignore',
      timeout: 30_000,
      env: { ...ISOLATED_ENV, POSTGRES_PASSWORD: '' },
    });
    expect(result.timedOut).toBe(false);
    const status = statusShape.parse(JSON.parse(result.stdout));
    expect(status.healthy).toBe(false);
    const postgres = status.services.find((service) => service.service === 'postgres');
    expect(postgres?.probe).toMatchObject({
      ok: false,
      error: 'postgres rejected the credentials: the server asks for a password, and POSTGRES_PASSWORD is empty',
      rejectedKey: 'POSTGRES_PASSWORD',
    });
    expect(postgres?.probe?.fix).toContain(`Set POSTGRES_PASSWORD in ${join(project, '.env')}`);
  });

  it('`apex reset` without a terminal and without --yes refuses with the fix (exit 2)', async () => {
    const result = await run(['reset']);
    expect(result.exitCode).toBe(2);
    expect(unwrap(result.stderr)).toContain('`apex reset` deletes data and needs confirmation');
    expect(unwrap(result.stderr)).toContain('Add --yes to confirm');
  });

  it('`apex reset --service redis --yes --json` resets that store only', async () => {
    const result = await run(['reset', '--service', 'redis', '--yes', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(resetShape.parse(JSON.parse(result.stdout))).toMatchObject({
      ok: true,
      results: [{ service: 'redis', ok: true, mode: 'soft', applied: [`${ISOLATED.prefix}schema_version=1`] }],
    });
  });

  it('an unknown service is a usage error (exit 2) that lists the known ones', async () => {
    const result = await run(['reset', '--service', 'mongo', '--yes']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Unknown service "mongo"');
  });
});
