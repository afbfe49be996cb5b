import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStack, type LoadedStack } from '../../src/config/stack-context.js';
import { connectWorkerNative } from '../../src/ingestion/temporal-connection.js';
import { phase2c } from '../../src/phases/phase-2c.js';
import { serviceByName } from '../../src/services/catalog.js';
import { checkHealth } from '../../src/services/health.js';
import { temporalConnectFailure } from '../../src/services/temporal/auth-failure.js';
import { runPhaseForTest } from '../support/phase-run.js';
import { missingServers } from '../support/servers.js';
import { startAuthFront, type AuthProxy, type TestCertificates } from '../support/temporal-auth-proxy.js';

const missing = await missingServers(['temporal']);

const API_KEY = 'apex-test-key.7Q2m9Xc4';
const WRONG_KEY = 'apex-test-key.wrong000';

/** The API key a namespace on Temporal Cloud takes, in front of the dev server (which checks none): an external stack through the proxy. */
function stackThroughProxy(proxy: AuthProxy, certificates: TestCertificates, apiKey?: string, clientCertificate = ''): LoadedStack {
  const dir = mkdtempSync(join(tmpdir(), 'apex-temporal-auth-'));
  writeFileSync(
    join(dir, 'apex.config.yaml'),
    [
      'runtime: external',
      'services:',
      '  temporal:',
      `    host: ${proxy.host}`,
      `    ports: { grpc: ${proxy.port} }`,
      `    tls: { caFile: ${certificates.caFile}, serverName: localhost${clientCertificate} }`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, '.env'), apiKey ? `TEMPORAL_API_KEY=${apiKey}\n` : '');
  return loadStack({ cwd: dir });
}

describe.skipIf(missing)('Temporal behind a TLS front that requires an API key or a client certificate', () => {
  let certificates: TestCertificates;
  let proxy: AuthProxy;
  beforeAll(async () => ({ proxy, certificates } = await startAuthFront(API_KEY)));
  afterAll(() => proxy?.close());

  it('with the key, the health probe describes the namespace through the front', async () => {
    const forwarded = proxy.forwarded;
    const [health] = await checkHealth(stackThroughProxy(proxy, certificates, API_KEY).stack, [serviceByName('temporal')]);
    expect(health).toMatchObject({ ok: true, detail: 'system info; namespace apex registered' });
    expect(proxy.forwarded).toBeGreaterThan(forwarded);
  });

  it('with the key, phase 2C runs workflows on the in-process worker through the front', { timeout: 180_000 }, async () => {
    const loaded = stackThroughProxy(proxy, certificates, API_KEY);
    const { result } = await runPhaseForTest(loaded, { phase: phase2c, tests: ['test_100_concurrent_workflows'], overrides: { workflows: 5 } });
    expect(result.setupEvidence).toEqual([]);
    expect(result.tests.map((test) => [test.name, test.status])).toEqual([['test_100_concurrent_workflows', 'passed']]);
    expect(result.summary.workflowsExecuted).toBe(5);
  });

  it('with a wrong key, the probe says TEMPORAL_AUTH and names the variable, never the key', async () => {
    const [health] = await checkHealth(stackThroughProxy(proxy, certificates, WRONG_KEY).stack, [serviceByName('temporal')]);
    expect(health).toMatchObject({ ok: false, code: 'TEMPORAL_AUTH', rejectedKey: 'TEMPORAL_API_KEY' });
    expect(health.error).toBe(
      `temporal at ${proxy.host}:${proxy.port} refused the API key in TEMPORAL_API_KEY: UNAUTHENTICATED: Request unauthorized: invalid API key`,
    );
    expect(health.fix).toMatch(/^Set TEMPORAL_API_KEY in \/\S+\/\.env \(or the environment\) to a valid, unexpired API key with access to namespace apex/);
    expect(JSON.stringify(health)).not.toContain(WRONG_KEY);
    expect(proxy.refusedAuthorizations).toContain(`Bearer ${WRONG_KEY}`);
  });

  it('without a key, the worker connection fails with TEMPORAL_AUTH and the variable to set', async () => {
    const { stack } = stackThroughProxy(proxy, certificates);
    const failure = await connectWorkerNative(stack).then(
      async (connection) => {
        await connection.close();
        throw new Error('the front accepted a connection without a key');
      },
      (error: unknown) => temporalConnectFailure(stack, error),
    );
    expect(failure).toMatchObject({ code: 'TEMPORAL_AUTH', exitCode: 1 });
    expect(failure.message).toMatch(/^temporal at \S+ refused no credentials: .*Request unauthorized: no credentials/);
    expect(failure.fix).toMatch(
      /^Set TEMPORAL_API_KEY in \/\S+\/\.env \(or the environment\) to an API key with access to namespace apex, or give a client certificate/,
    );
  });

  it('with a client certificate the front trusts (mTLS) and no key, the probe passes', async () => {
    const forwarded = proxy.forwarded;
    const mtls = `, certFile: ${certificates.clientCertFile}, keyFile: ${certificates.clientKeyFile}`;
    const [health] = await checkHealth(stackThroughProxy(proxy, certificates, undefined, mtls).stack, [serviceByName('temporal')]);
    expect(health).toMatchObject({ ok: true, detail: 'system info; namespace apex registered' });
    expect(proxy.forwarded).toBeGreaterThan(forwarded);
  });

  it('without services.temporal.tls naming its CA, the key is never sent to a front the system CAs do not trust', async () => {
    const loaded = stackThroughProxy(proxy, certificates, API_KEY);
    loaded.stack.config.services.temporal = { host: proxy.host, ports: { grpc: proxy.port } };
    const refused = proxy.refused;
    const forwarded = proxy.forwarded;
    const [health] = await checkHealth(loaded.stack, [serviceByName('temporal')]);
    expect(health.ok).toBe(false);
    expect([proxy.refused, proxy.forwarded]).toEqual([refused, forwarded]);
  });
});
