import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceByName } from '../../src/services/catalog.js';
import { checkHealth, type HealthResult } from '../../src/services/health.js';
import { coreStores, isolatedStack } from '../support/isolated-stack.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { externalStack, missingServers } from '../support/servers.js';

const { freePort } = createPortAllocator();

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'temporal']);

describe.skipIf(missing)('health checks with the real clients', () => {
  it('every core service answers its real query, with a version and what was checked', async () => {
    const { stack } = externalStack();
    const results = Object.fromEntries((await checkHealth(stack, coreStores())).map((result) => [result.service, result]));
    for (const result of Object.values(results)) {
      expect(result, `${result.service}: ${result.error} / ${result.fix}`).toMatchObject({ ok: true });
      expect(result.version, result.service).toMatch(/^\d+\.\d+/);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(results.postgres.detail).toBe('SELECT 1');
    expect(results.neo4j.detail).toBe('RETURN 1; community edition');
    expect(results.redis.detail).toMatch(/^PING; INFO/);
    expect(results.temporal.detail).toBe('system info; namespace apex registered');
    // The CI Qdrant is a stand-in, and the result says so.
    expect(results.qdrant.detail).toMatch(/^readyz: /);
    expect(results.s3.detail).toMatch(/^ListBuckets \(\d+ buckets?\); (LocalStack|no \/_localstack\/health)/);
  });

  it('a Temporal namespace that does not exist fails with the seed command as the fix', async () => {
    const { stack } = isolatedStack();
    stack.config = { ...stack.config, ingestion: { ...stack.config.ingestion, namespace: `apex-missing-${Date.now()}` } };
    const [temporal] = await checkHealth(stack, [serviceByName('temporal')]);
    expect(temporal).toMatchObject({ ok: false, fix: '`apex seed --only temporal` registers it.' });
    expect(temporal.error).toContain('does not exist');
  });

  it('a server that accepts connections but never answers fails at its own timeout, the rest unaffected', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const { stack } = isolatedStack(`services:\n  qdrant:\n    ports:\n      http: ${port}\n`);
      const started = performance.now();
      const results = await checkHealth(stack, coreStores(), { timeoutMs: 800 });
      const qdrant = results.find((result) => result.service === 'qdrant') as HealthResult;
      expect(qdrant).toMatchObject({ ok: false, error: 'qdrant: no answer within 800 ms' });
      expect(qdrant.fix).toContain(`127.0.0.1:${port}`);
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(results.filter((result) => !result.ok).map((result) => result.service)).toEqual(['qdrant']);
    } finally {
      silent.close();
    }
  });
});

const which = async (binary: string): Promise<boolean> => (await execa('which', [binary], { reject: false })).exitCode === 0;
const observabilityMissing =
  !(await which('prometheus')) || !(await which('alertmanager'))
    ? 'prometheus/alertmanager binaries are not installed (test/provision/provision.sh installs them)'
    : undefined;
if (observabilityMissing && process.env.CI) throw new Error(`CI must not skip integration tests: ${observabilityMissing}`);

describe.skipIf(observabilityMissing)('health checks of Prometheus and Alertmanager (real binaries on free ports)', () => {
  const processes: ResultPromise[] = [];
  let ports: { prometheus: number; alertmanager: number; grafana: number };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-observability-'));
    ports = { prometheus: await freePort(), alertmanager: await freePort(), grafana: await freePort() };
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
    writeFileSync(join(dir, 'alertmanager.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
    const options = { reject: false, cleanup: true, stdio: 'ignore' } as const;
    processes.push(
      execa(
        'prometheus',
        [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/tsdb`, `--web.listen-address=127.0.0.1:${ports.prometheus}`],
        options,
      ),
      execa(
        'alertmanager',
        [
          `--config.file=${dir}/alertmanager.yml`,
          `--storage.path=${dir}/am`,
          `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
          '--cluster.listen-address=',
        ],
        options,
      ),
    );
  });
  afterAll(() => processes.forEach((child) => child.kill()));

  it('reports ready with the version from the status API; Grafana, not running, is named with a fix', async () => {
    const { stack } = isolatedStack(
      `services:\n  prometheus:\n    ports:\n      http: ${ports.prometheus}\n  alertmanager:\n    ports:\n      http: ${ports.alertmanager}\n  grafana:\n    ports:\n      http: ${ports.grafana}\n`,
    );
    const services = ['prometheus', 'alertmanager'].map(serviceByName);
    let results: HealthResult[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      results = await checkHealth(stack, services, { timeoutMs: 1_000 });
      if (results.every((result) => result.ok)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(results[0]).toMatchObject({ service: 'prometheus', ok: true, version: expect.stringMatching(/^2\./) });
    expect(results[1]).toMatchObject({ service: 'alertmanager', ok: true, version: expect.stringMatching(/^0\./) });
    const [grafana] = await checkHealth(stack, [serviceByName('grafana')]);
    expect(grafana).toMatchObject({ ok: false, error: `grafana: connection refused on 127.0.0.1:${ports.grafana}` });
  });
});
