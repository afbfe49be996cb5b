import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOUBLE_DIR, missingDoublePython } from '../support/apex-memory-double.js';
import { ONLY_PROJECT_CREDENTIALS, runCli } from '../support/cli.js';
import { envShape } from '../support/json-shapes.js';

/** A project on servers the user runs (no Docker), with passwords a shell and a dotenv parser must both quote. */
function externalProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-env-e2e-'));
  writeFileSync(
    join(dir, 'apex.config.yaml'),
    'runtime: external\nservices:\n  postgres:\n    host: db.internal\n    ports: { postgres: 25432 }\n  s3:\n    ports: { http: 24566 }\ncontract: apex-memory\n',
  );
  writeFileSync(join(dir, '.env'), `POSTGRES_PASSWORD="it's a $ecret"\nNEO4J_PASSWORD=neo\nAWS_SECRET_ACCESS_KEY='s3 "key"'\n`);
  return dir;
}

const EXPECTED = {
  POSTGRES_HOST: 'db.internal',
  POSTGRES_PORT: '25432',
  POSTGRES_PASSWORD: "it's a $ecret",
  POSTGRES_DB: 'apex_memory',
  NEO4J_PASSWORD: 'neo',
  S3_ENDPOINT_URL: 'http://127.0.0.1:24566',
  AWS_SECRET_ACCESS_KEY: 's3 "key"',
  APEX_DOCUMENTS_BUCKET: 'apex-documents-test',
  TEMPORAL_NAMESPACE: 'default',
};

/** The values a shell sees after sourcing `file` (with `set -a` for dotenv). */
function sourced(file: string, names: readonly string[], prefix = ''): Record<string, string> {
  const script = `${prefix} . "${file}"; for name in ${names.join(' ')}; do eval "printf '%s\\0' \\"\\$$name\\""; done`;
  const values = execFileSync('sh', ['-c', script], { env: {}, encoding: 'utf8' }).split('\0').slice(0, -1);
  return Object.fromEntries(names.map((name, index) => [name, values[index]]));
}

const apex = (dir: string, args: readonly string[]) => runCli(dir, args, ONLY_PROJECT_CREDENTIALS);

describe('apex env (built CLI, runtime: external)', () => {
  it('prints dotenv by default, export lines and json, each with the values of the config and .env', { timeout: 60_000 }, async () => {
    const dir = externalProject();
    const names = Object.keys(EXPECTED);

    const dotenv = await apex(dir, ['env']);
    expect(dotenv.exitCode, dotenv.stderr).toBe(0);
    writeFileSync(join(dir, 'printed.env'), dotenv.stdout);
    expect(sourced(join(dir, 'printed.env'), names, 'set -a;')).toEqual(EXPECTED);
    expect(dotenv.stdout).toMatch(/^POSTGRES_HOST=db\.internal$/m);

    const exported = await apex(dir, ['env', '--format', 'export']);
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stdout.split('\n').every((line) => line.startsWith('export '))).toBe(true);
    writeFileSync(join(dir, 'printed.sh'), exported.stdout);
    expect(sourced(join(dir, 'printed.sh'), names)).toEqual(EXPECTED);

    const json = await apex(dir, ['env', '--format', 'json']);
    expect(json.exitCode, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject(EXPECTED);

    const typed = await apex(dir, ['env', '--json']);
    expect(typed.exitCode, typed.stderr).toBe(0);
    expect(envShape.parse(JSON.parse(typed.stdout)).variables).toMatchObject(EXPECTED);
  });

  it('--output writes the file with mode 0600, over an existing world-readable one, and says where', { timeout: 60_000 }, async () => {
    const dir = externalProject();
    const file = join(dir, 'worker.env');
    writeFileSync(file, 'OLD=1\n', { mode: 0o644 });
    const run = await apex(dir, ['env', '--output', 'worker.env']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(file);
    expect(run.stdout).not.toContain('ecret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('OLD=1');
    expect(sourced(file, Object.keys(EXPECTED), 'set -a;')).toEqual(EXPECTED);
  });

  it.skipIf(missingDoublePython())("the contract double's settings loader reads the written file, sourced as it is", { timeout: 60_000 }, async () => {
    const dir = externalProject();
    const written = await apex(dir, ['env', '--output', 'worker.env']);
    expect(written.exitCode, written.stderr).toBe(0);
    const loader =
      'import dataclasses, json; from apex_memory_double.settings import Settings; print(json.dumps(dataclasses.asdict(Settings.from_environment())))';
    const settings = JSON.parse(
      execFileSync('sh', ['-c', `set -a; . "${join(dir, 'worker.env')}"; exec "$PYTHON" -c '${loader}'`], {
        cwd: DOUBLE_DIR,
        env: { PYTHON: process.env.APEX_MEMORY_DOUBLE_PYTHON },
        encoding: 'utf8',
      }),
    ) as Record<string, unknown>;
    expect(settings).toMatchObject({
      postgres_host: EXPECTED.POSTGRES_HOST,
      postgres_port: Number(EXPECTED.POSTGRES_PORT),
      postgres_password: EXPECTED.POSTGRES_PASSWORD,
      postgres_db: EXPECTED.POSTGRES_DB,
      neo4j_uri: 'bolt://127.0.0.1:7687',
      s3_endpoint_url: EXPECTED.S3_ENDPOINT_URL,
      aws_secret_access_key: EXPECTED.AWS_SECRET_ACCESS_KEY,
      documents_bucket: EXPECTED.APEX_DOCUMENTS_BUCKET,
      temporal_address: '127.0.0.1:7233',
      temporal_task_queue: 'apex-ingestion-queue',
    });
  });

  it('an unknown format is a usage error (exit 2)', { timeout: 60_000 }, async () => {
    const run = await runCli(externalProject(), ['env', '--format', 'yaml']);
    expect(run.exitCode).toBe(2);
  });
});
