/**
 * The SQLite lever: the same minimal harness on two fresh Temporal dev servers started side by side from the same
 * binary, one with SQLite's defaults and one with the pragmas apex passes (src/services/temporal/definition.ts).
 *
 *   npx tsx bench/temporal-sqlite.bench.ts     # TEMPORAL_BIN (default: temporal on PATH), BENCH_WORKFLOWS=200, BENCH_ROUNDS=3
 *
 * Prints the median harness wf/s of each server over alternating rounds, and the ratio pragmas / defaults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { execa, type ResultPromise } from 'execa';
import { installWorkerRuntime } from '../src/ingestion/worker-runtime.js';
import type { ServiceEndpoint } from '../src/services/service.js';
import { temporalAddress } from '../src/services/temporal/client.js';
import { SQLITE_PRAGMAS } from '../src/services/temporal/definition.js';
import { percentile } from './harness.js';
import { runHarness } from './temporal-harness.js';

const binary = process.env.TEMPORAL_BIN ?? 'temporal';
const workflows = Number(process.env.BENCH_WORKFLOWS ?? 200);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const namespace = 'apex-bench';
const dir = mkdtempSync(join(tmpdir(), 'apex-bench-sqlite-'));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function startDevServer(name: string, pragmas: readonly string[]): Promise<{ endpoint: ServiceEndpoint; process: ResultPromise }> {
  const [grpc, http, metrics] = [await freePort(), await freePort(), await freePort()];
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(grpc),
    '--http-port',
    String(http),
    '--metrics-port',
    String(metrics),
  ];
  args.push(
    '--db-filename',
    join(dir, `${name}.db`),
    '--namespace',
    namespace,
    '--log-level',
    'error',
    ...pragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
  );
  const child = execa(binary, args, { reject: false, stdin: 'ignore' });
  const endpoint: ServiceEndpoint = { service: 'temporal', host: '127.0.0.1', ports: { grpc } };
  for (let attempt = 0; ; attempt++) {
    try {
      const connection = await Connection.connect({ address: temporalAddress(endpoint) });
      await connection.workflowService.describeNamespace({ namespace });
      await connection.close();
      return { endpoint, process: child };
    } catch (error) {
      if (attempt >= 60 || child.exitCode !== null) throw new Error(`${binary} (${name}) did not start: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

installWorkerRuntime({ logLevel: 'ERROR' });
const servers = { defaults: await startDevServer('defaults', []), pragmas: await startDevServer('pragmas', SQLITE_PRAGMAS) };
const samples: Record<keyof typeof servers, number[]> = { defaults: [], pragmas: [] };
try {
  for (let round = 0; round < rounds; round++) {
    for (const name of ['defaults', 'pragmas'] as const) {
      const { workflowsPerSecond } = await runHarness({
        connection: { address: temporalAddress(servers[name].endpoint) },
        namespace,
        workflows,
        concurrency: 50,
        localWrites: true,
      });
      samples[name].push(Number(workflowsPerSecond.toFixed(2)));
    }
  }
} finally {
  for (const server of Object.values(servers)) server.process.kill();
  await Promise.all(Object.values(servers).map((server) => server.process));
  rmSync(dir, { recursive: true, force: true });
}
const median = (values: number[]) => Number(percentile(values, 50).toFixed(2));
console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, loadAverage: loadavg().map((value) => Number(value.toFixed(2))) },
      workflows,
      rounds,
      pragmas: SQLITE_PRAGMAS,
      harnessWorkflowsPerSecond: { defaults: median(samples.defaults), pragmas: median(samples.pragmas) },
      samples,
      ratioPragmasToDefaults: Number((median(samples.pragmas) / median(samples.defaults)).toFixed(2)),
    },
    null,
    2,
  ),
);
