/**
 * Phase 2C/2D throughput on this machine, as ratios against a minimal harness run beside them on the same server.
 *
 *   set -a; . /var/tmp/apex-servers/ci.env; set +a
 *   npx tsx bench/ingestion.bench.ts            # BENCH_WORKFLOWS=200 BENCH_CONCURRENCY=50 BENCH_SKIP_2D=1 (or npm run bench -- --only ingestion)
 *
 * Prints a JSON summary: harness wf/s, apex 2C wf/s (ratio, goal ≥ 0.9), each transition lever, 2D wf/s, peak RSS.
 */
import { cpus, loadavg } from 'node:os';
import { installWorkerRuntime } from '../src/ingestion/worker-runtime.js';
import { phase2c } from '../src/phases/phase-2c.js';
import { phase2d } from '../src/phases/phase-2d.js';
import type { PhaseDefinition } from '../src/phases/phase-definition.js';
import { runPhase, type RunPhaseOptions } from '../src/phases/runner.js';
import { temporalConnectionOptions } from '../src/services/temporal/client.js';
import { quietProgress } from '../test/support/phase-run.js';
import { externalStack } from '../test/support/servers.js';
import { runHarness } from './temporal-harness.js';

const workflows = Number(process.env.BENCH_WORKFLOWS ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const loaded = externalStack(`phases:\n  2c:\n    minThroughputWorkflowsPerSecond: 0\n  2d:\n    minThroughputWorkflowsPerSecond: 0\n`);
let peakRssMb = 0;
const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 1024 / 1024)), 200);

installWorkerRuntime({ logLevel: 'ERROR' });

const connection = temporalConnectionOptions(loaded.stack);
const harness = (localWrites: boolean) => runHarness({ connection, namespace: loaded.config.ingestion.namespace, workflows, concurrency, localWrites });

async function throughput(phase: PhaseDefinition, test: string, options: Partial<RunPhaseOptions> = {}) {
  const result = await runPhase({ loaded, phase, progress: quietProgress, tests: [test], overrides: { workflows, concurrency }, ...options });
  const { metrics, status, reason } = result.tests[0];
  return {
    status,
    reason,
    workflowsPerSecond: Number(metrics.throughputWorkflowsPerSecond.toFixed(2)),
    transitionsPerSecond: Number(metrics.stateTransitionsPerSecond.toFixed(1)),
    transitionsPerWorkflow: Number(metrics.transitionsPerWorkflow.toFixed(1)),
    p50Ms: Math.round(metrics.endToEndMs?.p50 ?? NaN),
    p99Ms: Math.round(metrics.endToEndMs?.p99 ?? NaN),
  };
}

// Each apex configuration is compared with the harness of the same workflow shape (remote or local writes).
const harnessRemote = await harness(false);
const apexRemoteWrites = await throughput(phase2c, 'test_workflow_throughput', { workflowOptions: { localCpuSteps: true, localStoreWrites: false } });
const harnessLocal = await harness(true);
const apex2c = await throughput(phase2c, 'test_workflow_throughput');
const levers = {
  remoteCpuSteps: await throughput(phase2c, 'test_workflow_throughput', { workflowOptions: { localCpuSteps: false, localStoreWrites: false } }),
  remoteStoreWrites: apexRemoteWrites,
  noEagerStart: await throughput(phase2c, 'test_workflow_throughput', { eagerStart: false }),
};
const apex2d = process.env.BENCH_SKIP_2D ? undefined : await throughput(phase2d, 'test_sustained_throughput_real_db');
clearInterval(sampler);
const ratio = (apex: number, bare: number) => Number((apex / bare).toFixed(2));
console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, loadAverage: loadavg().map((value) => Number(value.toFixed(2))) },
      workflows,
      concurrency,
      harness: { remoteWrites: Number(harnessRemote.workflowsPerSecond.toFixed(2)), localWrites: Number(harnessLocal.workflowsPerSecond.toFixed(2)) },
      apex2c,
      ratio2cToHarness: ratio(apex2c.workflowsPerSecond, harnessLocal.workflowsPerSecond),
      ratioRemoteWritesToHarness: ratio(apexRemoteWrites.workflowsPerSecond, harnessRemote.workflowsPerSecond),
      levers,
      apex2d,
      peakRssMb: Math.round(peakRssMb),
    },
    null,
    2,
  ),
);
