import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRunResult } from '../../src/results/run-result.js';
import { connectTemporal, createTemporalClient } from '../../src/services/temporal/client.js';
import { serviceByName } from '../../src/services/catalog.js';
import { seedStack } from '../../src/services/seeding.js';
import { runCli } from '../support/cli.js';
import { startedWorkflowStates } from '../support/phase-run.js';
import { testCleanShape } from '../support/json-shapes.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { externalStack, missingServers } from '../support/servers.js';
import { coreStores } from '../support/isolated-stack.js';

const missing = await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);

/** A long run (about a minute uninterrupted on 2 cores): the fault always lands mid-phase. Workflows in flight get 5 s. */
const LONG_RUN = ['test', 'phase', '2d', '--test', 'test_sustained_throughput_real_db', '--workflows', '200', '--grace', '5'];

const STACK_LINE = /^\s+at /m;

/** A project on the CI servers whose Redis is the test's own, seeded. */
async function projectOn(redis: PrivateRedis): Promise<string> {
  const redisPort = `services:\n  redis:\n    ports:\n      redis: ${redis.port}\n`;
  const [seeded] = await seedStack(externalStack(redisPort).stack, [serviceByName('redis')]);
  expect(seeded.ok).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'apex-faults-'));
  writeFileSync(join(dir, 'apex.config.yaml'), `runtime: external\n${redisPort}`);
  return dir;
}

/** Resolves once the run has written to Redis: its workflows are running. */
async function workflowsRunning(redis: PrivateRedis, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await redis.keys()) <= 1) {
    if (Date.now() > deadline) throw new Error('no workflow wrote to Redis in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function reportOf(project: string) {
  const phaseDir = join(project, 'reports', '2d');
  const [run] = readdirSync(phaseDir);
  const read = (file: string) => readFileSync(join(phaseDir, run, file), 'utf8');
  return { read, dir: join(phaseDir, run), result: parseRunResult(read('results.json'), 'results.json', '2d') };
}

/** The Temporal status of every workflow the run in `reportDir` started. */
async function startedWorkflowStatuses(reportDir: string): Promise<string[]> {
  const { stack } = externalStack();
  const connection = await connectTemporal(stack);
  try {
    return await startedWorkflowStates(createTemporalClient(connection, stack.config.ingestion.namespace), reportDir);
  } finally {
    await connection.close();
  }
}

describe.skipIf(missing)('a phase meets a fault: it ends within a minute, says why first, and crashes on nothing', () => {
  let redis: PrivateRedis | undefined;

  beforeAll(async () => {
    const results = await seedStack(externalStack().stack, coreStores());
    for (const result of results) expect(result, `${result.service}: ${result.error ?? ''}`).toMatchObject({ ok: true });
  });
  afterEach(() => redis?.kill());

  it('Redis killed mid-phase: ends within 60 s, Redis first, exit 1; nothing of the run left once Redis is back', { timeout: 300_000 }, async () => {
    redis = await startPrivateRedis();
    const project = await projectOn(redis);
    const cli = runCli(project, LONG_RUN);
    await workflowsRunning(redis);
    await redis.kill();
    const killedAt = Date.now();
    const { exitCode, stderr, stdout } = await cli;
    const secondsToEnd = (Date.now() - killedAt) / 1000;
    console.log(`phase ended ${secondsToEnd.toFixed(1)} s after Redis was killed`);

    expect(exitCode, stderr).toBe(1);
    expect(secondsToEnd).toBeLessThan(60);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stdout).toContain('interrupted: redis stopped answering');
    const { read, dir, result } = reportOf(project);
    expect(result.interrupted).toMatchObject({ reason: 'store-unreachable', store: 'redis' });
    // No workflow of the run keeps running, to write after its cleanup: each failed, finished or was terminated.
    const states = await startedWorkflowStatuses(dir);
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((state) => state === 'RUNNING')).toEqual([]);
    expect(result.diagnoses[0]).toMatchObject({ signature: 'interrupted-store-unreachable', title: 'redis stopped answering during the run' });
    expect(read('ISSUES.md')).toMatch(/## 1\. redis stopped answering during the run[\s\S]*\*\*Fix:\*\* Start redis at 127\.0\.0\.1:\d+/);
    expect(read('INDEX.md')).toContain('⛔ **INTERRUPTED** (redis stopped answering');
    expect(read('junit.xml')).toContain('<property name="interruptedStore" value="redis"/>');

    // The stores that still answered were cleaned at the end of the run; the dead one is named, and its ledger kept.
    expect(result.data).toMatchObject({ status: 'not-removed', leftAfterCleanup: { postgres: 0, neo4j: 0, qdrant: 0, s3: 0 } });
    expect(result.data?.beforeCleanup.postgres).toBeGreaterThan(0);
    expect(result.data?.failures.map((failure) => failure.store)).toContain('redis');
    // Once Redis is back, `apex test clean` leaves nothing of the run in any store.
    redis = await startPrivateRedis(redis.port);
    const clean = await runCli(project, ['test', 'clean', result.runId, '--json']);
    expect(clean.exitCode, clean.stderr).toBe(0);
    const [cleaned] = testCleanShape.parse(JSON.parse(clean.stdout)).runs;
    expect(cleaned.leftAfterCleanup).toEqual({ postgres: 0, neo4j: 0, qdrant: 0, redis: 0, s3: 0 });
    console.log(
      `left of the run: ${JSON.stringify(result.data?.beforeCleanup)} before cleanup; ${JSON.stringify(result.data?.leftAfterCleanup)} after the run's own; ${JSON.stringify(cleaned.beforeCleanup)} before and ${JSON.stringify(cleaned.leftAfterCleanup)} after \`apex test clean\``,
    );
  });

  it('SIGINT mid-phase: exit code 130, a report marked interrupted, no stack trace', { timeout: 300_000 }, async () => {
    redis = await startPrivateRedis();
    const project = await projectOn(redis);
    const cli = runCli(project, LONG_RUN);
    await workflowsRunning(redis);
    cli.kill('SIGINT');
    const signalledAt = Date.now();
    const { exitCode, stderr } = await cli;
    const secondsToEnd = (Date.now() - signalledAt) / 1000;
    console.log(`phase ended ${secondsToEnd.toFixed(1)} s after SIGINT`);

    expect(exitCode, stderr).toBe(130);
    expect(secondsToEnd).toBeLessThan(60);
    expect(stderr).toContain('SIGINT: ending the phase');
    expect(stderr).not.toMatch(STACK_LINE);
    const { read, result } = reportOf(project);
    expect(result.interrupted).toMatchObject({ reason: 'signal' });
    expect(result.diagnoses[0]).toMatchObject({ signature: 'interrupted-signal', title: 'The run was interrupted' });
    expect(read('INDEX.md')).toContain('⛔ **INTERRUPTED** (stopped by a signal');
    expect(read('junit.xml')).toContain('<property name="interrupted" value="signal"/>');
  });
});
