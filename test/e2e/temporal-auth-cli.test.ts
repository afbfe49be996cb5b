import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONLY_PROJECT_CREDENTIALS, runCli } from '../support/cli.js';
import { missingServers } from '../support/servers.js';
import { startAuthFront, type AuthProxy, type TestCertificates } from '../support/temporal-auth-proxy.js';

const missing = await missingServers(['temporal']);

const API_KEY = 'apex-e2e-key.Vd83kQz1';
const WRONG_KEY = 'apex-e2e-key.wrong999';

describe.skipIf(missing)('the built CLI on a Temporal that requires an API key (runtime: external)', () => {
  let certificates: TestCertificates;
  let proxy: AuthProxy;
  beforeAll(async () => ({ proxy, certificates } = await startAuthFront(API_KEY)));
  afterAll(() => proxy?.close());

  /** A project whose Temporal is the front, with this TEMPORAL_API_KEY in .env; the CLI reads its credentials from there only. */
  const apex = (apiKey: string | undefined, args: readonly string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-temporal-auth-e2e-'));
    const temporal = `  temporal:\n    host: ${proxy.host}\n    ports: { grpc: ${proxy.port} }\n    tls: { caFile: ${certificates.caFile}, serverName: localhost }\n`;
    writeFileSync(join(dir, 'apex.config.yaml'), `runtime: external\nservices:\n${temporal}`);
    writeFileSync(join(dir, '.env'), apiKey ? `TEMPORAL_API_KEY=${apiKey}\n` : '');
    return runCli(dir, args, ONLY_PROJECT_CREDENTIALS);
  };

  it('apex up --only temporal checks and seeds through the front, the key masked', { timeout: 60_000 }, async () => {
    const up = await apex(API_KEY, ['up', '--only', 'temporal', '--json']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
    const output = JSON.parse(up.stdout) as { endpoints: { service: string; credentials: Record<string, string> }[] };
    expect(output.endpoints.find((endpoint) => endpoint.service === 'temporal')?.credentials).toEqual({ 'api key': '********' });
    expect(up.stdout + up.stderr).not.toContain(API_KEY);
  });

  it('a wrong key: apex up fails with TEMPORAL_AUTH and the variable to set, without printing the key', { timeout: 60_000 }, async () => {
    const up = await apex(WRONG_KEY, ['up', '--only', 'temporal', '--json']);
    expect(up.exitCode).toBe(1);
    const { error } = JSON.parse(up.stdout) as { error: { code: string; fix: string; details: string[] } };
    expect(error.code).toBe('TEMPORAL_AUTH');
    expect(error.fix).toMatch(/^temporal: Set TEMPORAL_API_KEY in \/\S+\/\.env \(or the environment\) to a valid, unexpired API key/);
    expect(error.details).toEqual([
      `temporal at ${proxy.host}:${proxy.port} refused the API key in TEMPORAL_API_KEY: UNAUTHENTICATED: Request unauthorized: invalid API key`,
    ]);
    expect(up.stdout + up.stderr).not.toContain(WRONG_KEY);
  });

  it('no key: apex worker stops with TEMPORAL_AUTH, exit 1', { timeout: 60_000 }, async () => {
    const worker = await apex(undefined, ['worker', '--json']);
    expect(worker.exitCode).toBe(1);
    expect(JSON.parse(worker.stdout)).toMatchObject({ error: { code: 'TEMPORAL_AUTH', fix: expect.stringMatching(/^Set TEMPORAL_API_KEY in /) } });
  });

  it('a key with a line break in it is a config error (exit 2), the key unquoted', { timeout: 60_000 }, async () => {
    const status = await apex(`"${API_KEY}\\n"`, ['status', '--json']);
    expect(status.exitCode).toBe(2);
    expect(JSON.parse(status.stdout)).toMatchObject({ error: { code: 'CONFIG_INVALID' } });
    expect(status.stdout + status.stderr).not.toContain(API_KEY);
  });

  it('apex env, the one command that prints secrets, gives the key to the worker as TEMPORAL_API_KEY', { timeout: 60_000 }, async () => {
    const env = await apex(API_KEY, ['env', '--format', 'json']);
    expect(env.exitCode, env.stderr).toBe(0);
    expect(JSON.parse(env.stdout)).toMatchObject({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_HOST: proxy.host, TEMPORAL_PORT: String(proxy.port) });
  });
});
