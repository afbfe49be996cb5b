/**
 * Fidelity against the team's own way of measuring: the same 2D workload against the Python contract double of
 * their worker, through apex and through a minimal load script that does what their pytest did, in one run.
 *
 *   set -a; . /var/tmp/apex-servers/ci.env; set +a
 *   npm run bench -- --only contract-fidelity     # BENCH_WORKFLOWS=60 BENCH_CONCURRENCY=10 BENCH_ROUNDS=2, --json
 *
 * apex: `runPhase` of 2D, test_sustained_throughput_real_db, with the apex-memory contract and the double as its
 * worker command (apex starts it, waits until it polls, stops it). The script: test/apex-memory-double/
 * load_script.py (asyncio `execute_workflow` with `args=[…]`, timing each call) against the double started from the
 * same contract (command, directory, environment, readiness), on a queue of its own, with the same N documents
 * (apex's synthetic ones, same bytes and Content-Type) at the same concurrency. The rounds alternate which side goes
 * first, so that drift on the shared machine falls on both. Each side reports its figures the way it measures them:
 * apex from the workflow histories (intended start → close), the script from its own clock around each call.
 * Every document of both sides is verified in the four stores through the contract's queries, then removed.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { LoadedStack } from '../src/config/stack-context.js';
import { renderEnvironment, renderTemplate } from '../src/contracts/render.js';
import { closeStoreClients, openStoreClients } from '../src/ingestion/worker-dependencies.js';
import { syntheticDocument } from '../src/phases/corpus.js';
import { phase2d } from '../src/phases/phase-2d.js';
import { runPhase } from '../src/phases/runner.js';
import { cleanupStores, storeQueries, verifyStores, type VerifiedDocument } from '../src/phases/store-verification.js';
import { externalWorkerEvidence, namespaceQueriesOf } from '../src/phases/temporal-readiness.js';
import { startWorkerUnderTest } from '../src/phases/worker-under-test.js';
import { createPortAllocator } from '../src/runtime/ports.js';
import { systemClock } from '../src/runtime/poll.js';
import { resolveEndpoint, serviceByName } from '../src/services/catalog.js';
import { stackVariables } from '../src/services/contract-variables.js';
import { createPostgresPool } from '../src/services/postgres/client.js';
import { uploadDocument } from '../src/services/s3/writes.js';
import { seedStack } from '../src/services/seeding.js';
import { connectTemporal, createTemporalClient } from '../src/services/temporal/client.js';
import { DOUBLE_DIR, missingDoublePython } from '../test/support/apex-memory-double.js';
import { coreStores } from '../test/support/isolated-stack.js';
import { quietProgress } from '../test/support/phase-run.js';
import { externalStack, missingServers } from '../test/support/servers.js';

const TEST = 'test_sustained_throughput_real_db';
const GOAL_RATIO = 0.95;
const workflows = Number(process.env.BENCH_WORKFLOWS ?? 60);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

interface Measured {
  side: 'apex' | 'script';
  round: number;
  succeeded: number;
  workflowsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

const missing = (await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'])) ?? missingDoublePython();
if (missing) {
  console.log(`skipped: ${missing}`);
  process.exit(0);
}

const { freePort } = createPortAllocator();
const python = process.env.APEX_MEMORY_DOUBLE_PYTHON!;
const stamp = Date.now().toString(36);

/** The apex-memory contract with the double as its worker command, on a queue of the round's own (a stopped worker stays listed as a poller for a while). */
const stackFor = async (queue: string): Promise<LoadedStack> =>
  externalStack(`phases:
  2d: { minThroughputWorkflowsPerSecond: 0, maxEndToEndP50Ms: 600000, maxEndToEndP95Ms: 600000, maxEndToEndP99Ms: 600000 }
contract:
  use: apex-memory
  temporal: { taskQueue: ${queue} }
  worker:
    command: [${JSON.stringify(python)}, -m, apex_memory_double.worker]
    cwd: ${JSON.stringify(DOUBLE_DIR)}
    env: { METRICS_PORT: "${await freePort()}" }
`);

const base = await stackFor(`contract-fidelity-${stamp}`);
for (const result of await seedStack(base.stack, coreStores())) if (!result.ok) throw new Error(`seed of ${result.service} failed: ${result.error}`);
const clients = await openStoreClients(base.stack, base.env);
const contract = base.config.contract;
const workerPostgres = createPostgresPool(
  resolveEndpoint(base.config, serviceByName('postgres')),
  { ...base.stack.credentials, postgresDb: contract.postgresDatabase ?? base.stack.credentials.postgresDb },
  4,
);
const queries = storeQueries({ ...clients, postgres: workerPostgres });
const temporal = await connectTemporal(base.stack);
const namespaceQueries = namespaceQueriesOf(createTemporalClient(temporal, contract.temporal.namespace));

async function throughApex(round: number): Promise<Measured> {
  const loaded = await stackFor(`contract-fidelity-${stamp}-apex-${round}`);
  const result = await runPhase({ loaded, phase: phase2d, progress: quietProgress, tests: [TEST], overrides: { workflows, concurrency } });
  const test = result.tests[0];
  if (test.status !== 'passed') {
    throw new Error(`apex round ${round}: ${TEST} ${test.status}: ${test.reason ?? ''}\n${JSON.stringify(test.evidence.slice(0, 3), null, 2)}`);
  }
  const { metrics } = test;
  return {
    side: 'apex',
    round,
    succeeded: metrics.workflowsCompleted,
    workflowsPerSecond: metrics.throughputWorkflowsPerSecond,
    p50Ms: metrics.endToEndMs?.p50 ?? NaN,
    p95Ms: metrics.endToEndMs?.p95 ?? NaN,
  };
}

/** The double started as the contract says (command, directory, the stack's endpoints under its variable names), as runPhase starts it. */
async function startDouble(loaded: LoadedStack, vars: Record<string, string | number | boolean>) {
  const { worker, temporal: names } = loaded.config.contract;
  if (!worker?.command) throw new Error('the contract names no worker command');
  return startWorkerUnderTest({
    worker: { ...worker, command: worker.command },
    phase: '2d',
    vars,
    projectDir: loaded.stack.projectDir,
    isPolling: async () => !(await externalWorkerEvidence(namespaceQueries, names.namespace, names.taskQueue)),
    readyTimeoutMs: 120_000,
    clock: systemClock,
    processEnv: process.env,
  });
}

/** What verification reads of the script's documents: their names, and the uuids the worker gave them. */
async function scriptDocuments(tag: string, names: readonly string[]): Promise<VerifiedDocument[]> {
  const rows = await workerPostgres.query<{ uuid: string; file_name: string }>(
    'SELECT uuid::text AS uuid, file_name FROM documents WHERE file_name = ANY($1)',
    [names],
  );
  const uuids = new Map(rows.rows.map((row) => [row.file_name, row.uuid]));
  return names.map((documentName, index) => {
    const documentUuid = uuids.get(documentName);
    return {
      workflowId: `load-test-${tag}-${index}`,
      ended: documentUuid ? 'succeeded' : 'not-run',
      vars: { runId: tag, documentName, ...(documentUuid ? { documentUuid } : {}) },
    };
  });
}

async function throughScript(round: number): Promise<Measured> {
  const loaded = await stackFor(`contract-fidelity-${stamp}-script-${round}`);
  const { document } = loaded.config.contract;
  if (document.delivery.kind !== 's3') throw new Error('the apex-memory contract delivers through S3');
  const tag = `${stamp}-script-${round}`;
  const delivery = { bucket: renderTemplate(document.delivery.bucket, { runId: tag }), prefix: renderTemplate(document.delivery.prefix, { runId: tag }) };
  // The script's document names (load-test-{tag}-doc-{n}.txt) with apex's bytes and Content-Type, which the worker's
  // parse goes by: the same chunks, entities and embeddings as apex's run.
  const names = Array.from({ length: workflows }, (_, index) => `load-test-${tag}-doc-${index}.txt`);
  for (const [index, name] of names.entries()) {
    const { body, contentType } = await syntheticDocument(index);
    await uploadDocument(clients.s3, delivery.bucket, { key: `${delivery.prefix}/${name}`, body, contentType });
  }
  const vars = { ...stackVariables(loaded.stack, loaded.config.contract), runId: tag, phase: '2d', ...delivery, folder: '' };
  const runVars = { runId: tag, phase: '2d', ...delivery, planned: workflows, failed: 0, uploaded: workflows };
  const double = await startDouble(loaded, vars);
  let run: Awaited<ReturnType<typeof loadScript>>;
  try {
    run = await loadScript(tag, delivery, renderEnvironment(loaded.config.contract.worker?.env ?? {}, vars));
  } catch (error) {
    await cleanupStores(contract.cleanup, queries.remove, { ...runVars, completed: 0 }, await scriptDocuments(tag, names));
    throw error;
  } finally {
    await double.stop();
  }
  const figures = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { succeeded: number; throughput: number; p50: number; p95: number };
  const documents = await scriptDocuments(tag, names);
  const verified = await verifyStores(contract, queries.count, { ...runVars, completed: figures.succeeded }, documents);
  await cleanupStores(contract.cleanup, queries.remove, { ...runVars, completed: figures.succeeded }, documents);
  const failed = verified.checks.filter((check) => !check.passed);
  if (figures.succeeded !== workflows || failed.length > 0) {
    throw new Error(`script round ${round}: ${figures.succeeded}/${workflows} succeeded; failed checks: ${JSON.stringify(failed)}`);
  }
  return { side: 'script', round, succeeded: figures.succeeded, workflowsPerSecond: figures.throughput, p50Ms: figures.p50, p95Ms: figures.p95 };
}

/** load_script.py over the documents already uploaded, with the environment the double reads; fails with its output when it does. */
async function loadScript(tag: string, delivery: { bucket: string; prefix: string }, env: Record<string, string>) {
  const args = ['--count', String(workflows), '--concurrency', String(concurrency), '--bucket', delivery.bucket, '--prefix', delivery.prefix];
  const run = await execa(python, [join(DOUBLE_DIR, 'load_script.py'), ...args, '--tag', tag, '--no-upload'], {
    cwd: DOUBLE_DIR,
    env: { ...process.env, ...env },
    reject: false,
  });
  if (run.exitCode === 0) return run;
  const lines = run.stderr.trim().split('\n');
  const stderr = lines.length > 24 ? [...lines.slice(0, 12), '…', ...lines.slice(-12)] : lines;
  throw new Error(`load_script.py ended with ${run.signal ?? `exit ${run.exitCode}`}\nstdout: ${run.stdout.trim()}\nstderr:\n${stderr.join('\n')}`);
}

const samples: Measured[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [throughApex, throughScript] : [throughScript, throughApex];
    for (const side of order) {
      const measured = await side(round);
      samples.push(measured);
      process.stdout.write(
        `round ${round} ${measured.side.padEnd(6)}: ${measured.workflowsPerSecond.toFixed(2)} wf/s, P50 ${measured.p50Ms.toFixed(0)} ms, P95 ${measured.p95Ms.toFixed(0)} ms (${measured.succeeded}/${workflows} succeeded)\n`,
      );
    }
  }
} finally {
  await Promise.all([closeStoreClients(clients), workerPostgres.end(), temporal.close()]);
}

const mean = (side: Measured['side'], field: 'workflowsPerSecond' | 'p50Ms' | 'p95Ms') => {
  const values = samples.filter((sample) => sample.side === side).map((sample) => sample[field]);
  return values.reduce((sum, value) => sum + value, 0) / values.length;
};
const summary = Object.fromEntries(
  (['script', 'apex'] as const).map((side) => [
    side,
    { workflowsPerSecond: mean(side, 'workflowsPerSecond'), p50Ms: mean(side, 'p50Ms'), p95Ms: mean(side, 'p95Ms') },
  ]),
) as Record<Measured['side'], { workflowsPerSecond: number; p50Ms: number; p95Ms: number }>;
const ratio = summary.apex.workflowsPerSecond / summary.script.workflowsPerSecond;
const roundRatios = Array.from({ length: rounds }, (_, index) => {
  const of = (side: Measured['side']) => samples.find((sample) => sample.side === side && sample.round === index + 1)?.workflowsPerSecond ?? NaN;
  return Number((of('apex') / of('script')).toFixed(2));
});
const line = (name: string, figures: (typeof summary)['apex']) =>
  `${name}: ${figures.workflowsPerSecond.toFixed(2)} wf/s, P50 ${figures.p50Ms.toFixed(0)} ms, P95 ${figures.p95Ms.toFixed(0)} ms`;
const shape = `n=${workflows} at concurrency ${concurrency}, mean of ${rounds} round${rounds === 1 ? '' : 's'}`;
console.log(`baseline  ${line('load_script.py (the team’s pytest: execute_workflow, timed per call)', summary.script)} (${shape})`);
console.log(
  `${line(`apex test phase 2d ${TEST} (apex-memory contract)`, summary.apex)} = ${ratio.toFixed(2)}× baseline throughput (rounds: ${roundRatios.join(', ')})  goal ≥ ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'met' : 'MISSED'}`,
);
if (process.argv.includes('--json')) {
  const machine = { cpus: cpus().length, loadAverage: loadavg().map((value) => Number(value.toFixed(2))) };
  console.log(JSON.stringify({ machine, workflows, concurrency, rounds, samples, summary, ratio: Number(ratio.toFixed(3)), roundRatios }, null, 2));
}
