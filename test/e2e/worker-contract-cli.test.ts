import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunResult } from '../../src/results/run-result.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { DOUBLE_DIR, missingDoublePython } from '../support/apex-memory-double.js';
import { runCli } from '../support/cli.js';
import { testListShape, testPhaseShape } from '../support/json-shapes.js';
import { missingServers } from '../support/servers.js';

const missing = (await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3'])) ?? missingDoublePython();

/** A project whose apex.config.yaml selects the apex-memory contract and names the team's worker (the double) to start. */
async function teamProject(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'apex-team-'));
  const metricsPort = await createPortAllocator().freePort();
  writeFileSync(
    join(dir, 'apex.config.yaml'),
    `runtime: external
phases:
  2d: { minThroughputWorkflowsPerSecond: 0.2, maxEndToEndP50Ms: 30000, maxEndToEndP95Ms: 60000, maxEndToEndP99Ms: 90000 }
  2e: { loadWorkflows: 3, failingWorkflows: 1, loadRatePerSecond: 2 }
contract:
  use: apex-memory
  temporal: { taskQueue: apex-memory-cli-${process.pid} }
  worker:
    command: [${JSON.stringify(process.env.APEX_MEMORY_DOUBLE_PYTHON)}, -m, apex_memory_double.worker]
    cwd: ${JSON.stringify(DOUBLE_DIR)}
    env: { METRICS_PORT: "${metricsPort}" }
    metricsUrl: "http://127.0.0.1:${metricsPort}/metrics"
`,
  );
  return dir;
}

describe.skipIf(missing)("apex test phase 2d and 2e against the team's worker (built CLI, the Python contract double, real servers)", () => {
  it('test list names the contract; the phase starts the worker, verifies every store through the contract and stops it', { timeout: 600_000 }, async () => {
    const dir = await teamProject();
    const list = await runCli(dir, ['test', 'list', '--json']);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(testListShape.parse(JSON.parse(list.stdout)).phases.map((phase) => [phase.id, phase.contract])).toEqual([
      ['2c', 'apex-memory (with overrides)'],
      ['2d', 'apex-memory (with overrides)'],
      ['2e', 'apex-memory (with overrides)'],
      ['2f', 'apex-memory (with overrides)'],
    ]);
    const run = await runCli(dir, [
      'test',
      'phase',
      '2d',
      '--workflows',
      '3',
      '--test',
      'test_concurrent_ingestion_real_databases',
      '--test',
      'test_saga_under_load',
      '--json',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const [phase] = testPhaseShape.parse(JSON.parse(run.stdout)).phases;
    expect(phase).toMatchObject({ decision: 'proceed', summary: { passed: 2, workflowsExecuted: 6 } });
    const resultsFile = join(phase.reportDir, 'results.json');
    const result = parseRunResult(readFileSync(resultsFile, 'utf8'), resultsFile);
    expect(result.environment).toMatchObject({ contract: 'apex-memory (with overrides)', worker: 'started', namespace: 'default' });
    const storeChecks = result.tests[0].checks.filter((check) => /^(postgres|neo4j|qdrant|redis|s3): /.test(check.name));
    expect(storeChecks.map((check) => check.name.split(':')[0]).sort()).toEqual([
      'neo4j',
      'neo4j',
      'postgres',
      'postgres',
      'postgres',
      'postgres',
      'postgres',
      'qdrant',
      'qdrant',
      'redis',
      'redis',
      's3',
    ]);
    expect(storeChecks.every((check) => check.passed)).toBe(true);
    expect(readFileSync(join(phase.reportDir, 'INDEX.md'), 'utf8')).toContain('worker started by apex');
    expect(existsSync(join(phase.reportDir, 'junit.xml'))).toBe(true);
  });

  it(
    "2e reads the worker's own metrics: its catalogue as documented, counters moved by the load; apex's SDK dashboards skipped",
    { timeout: 600_000 },
    async () => {
      const dir = await teamProject();
      const run = await runCli(dir, ['test', 'phase', '2e', '--json']);
      expect(run.exitCode, run.stderr).toBe(0);
      const [phase] = testPhaseShape.parse(JSON.parse(run.stdout)).phases;
      expect(phase).toMatchObject({ decision: 'proceed' });
      const resultsFile = join(phase.reportDir, 'results.json');
      const result = parseRunResult(readFileSync(resultsFile, 'utf8'), resultsFile);
      expect(result.environment).toMatchObject({ contract: 'apex-memory (with overrides)', worker: 'started' });
      expect(Object.fromEntries(result.tests.map((test) => [test.name, test.status]))).toMatchObject({
        test_metrics_under_load: 'passed',
        test_worker_metrics_catalogued: 'passed',
        test_dashboard_queries_return_data: 'skipped',
      });
      const load = result.tests.find((test) => test.name === 'test_metrics_under_load');
      expect(load?.checks.find((check) => check.name === 'apex_temporal_workflow_started_total moved')).toMatchObject({
        expected: '= 4 (1 × workflows)',
        actual: '4',
      });
    },
  );
});
