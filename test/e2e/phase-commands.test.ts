import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/reports/report-store.js';
import { runCli } from '../support/cli.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { currentRun, previousRun } from '../fixtures/reports/sample-results.js';
import { missingServers } from '../support/servers.js';
import { errorShape, reportShape, testListShape, testPhaseShape, workerShape } from '../support/json-shapes.js';
import { parseRunResult } from '../../src/results/run-result.js';

const project = () => {
  const dir = mkdtempSync(join(tmpdir(), 'apex-phase-cli-'));
  writeFileSync(join(dir, 'apex.config.yaml'), 'runtime: external\n');
  return dir;
};

describe('apex test list / report (built CLI)', () => {
  it('test list --json names every phase, test and config key', async () => {
    const { stdout, exitCode } = await runCli(project(), ['test', 'list', '--json']);
    expect(exitCode).toBe(0);
    const { phases } = testListShape.parse(JSON.parse(stdout));
    const byId = Object.fromEntries(phases.map((phase) => [phase.id, phase]));
    expect(byId['2c'].tests.map((test) => test.name)).toEqual([
      'test_100_concurrent_workflows',
      'test_workflow_scheduling_latency',
      'test_worker_task_queue_handling',
      'test_workflow_throughput',
      'test_activity_retry_under_load',
    ]);
    expect(byId['2d'].tests.map((test) => test.name)).toEqual([
      'test_concurrent_ingestion_real_databases',
      'test_saga_under_load',
      'test_database_write_concurrency',
      'test_end_to_end_latency',
      'test_sustained_throughput_real_db',
    ]);
    expect(byId['2d'].thresholds).toMatchObject({ sagaWorkflows: 20, sustainedWorkflows: 100 });
  });

  it('report prints the latest run of a phase; --json carries its summary and issues', async () => {
    const dir = project();
    const reports = join(dir, 'reports');
    writeReport(previousRun, reports, []);
    writeReport(currentRun, reports, []);
    const text = await runCli(dir, ['report', '2c']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('❌ Phase 2C: Load Tests - Mocked DBs');
    expect(text.stdout).toContain('issue: Activity name mismatch');
    const json = await runCli(dir, ['report', '--json']);
    const { reports: summaries } = reportShape.parse(JSON.parse(json.stdout));
    expect(summaries).toEqual([expect.objectContaining({ runId: '2c-current', decision: 'blocked' })]);
  });

  it('usage errors exit 2 with the fix', async () => {
    const unknown = await runCli(project(), ['test', 'phase', '9z']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Unknown phase "9z"');
    const none = await runCli(project(), ['report', '2d']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('apex test phase 2d');
  });

  it('a corrupt results.json: exit 1 with RESULTS_INVALID and the phase to rerun, not a raw SyntaxError', async () => {
    const dir = project();
    const { dir: reportDir } = writeReport(currentRun, join(dir, 'reports'), []);
    writeFileSync(join(reportDir, 'results.json'), '{"schemaVersion": 1, "phase": "2c", "tests": [');
    const text = await runCli(dir, ['report', '2c']);
    expect(text.exitCode).toBe(1);
    expect(text.stderr).toMatch(/^Error: \S+results\.json is not valid JSON \(/);
    expect(text.stderr).not.toContain('SyntaxError');
    const json = await runCli(dir, ['report', '2c', '--json']);
    expect(json.exitCode).toBe(1);
    expect(errorShape.parse(JSON.parse(json.stdout)).error).toMatchObject({
      code: 'RESULTS_INVALID',
      fix: 'Run the phase again (`apex test phase 2c`) to write a new report.',
    });
  });
});

const missing = await missingServers(['temporal']);

describe.skipIf(missing)('apex test phase 2c (built CLI, real Temporal)', () => {
  it('runs, verifies and writes every report; --json is the typed result', { timeout: 300_000 }, async () => {
    const dir = project();
    const { stdout, exitCode, stderr } = await runCli(dir, [
      'test',
      'phase',
      '2c',
      '--workflows',
      '4',
      '--test',
      'test_100_concurrent_workflows',
      '--test',
      'test_activity_retry_under_load',
      '--json',
    ]);
    expect(exitCode, stderr).toBe(0);
    const result = testPhaseShape.parse(JSON.parse(stdout));
    expect(result.ok).toBe(true);
    expect(result.phases[0]).toMatchObject({ decision: 'proceed', summary: { passed: 2, workflowsExecuted: 8 } });
    for (const file of ['INDEX.md', 'ISSUES.md', 'FIXES.md', 'results.json', 'junit.xml', 'report.html'])
      expect(existsSync(join(result.phases[0].reportDir, file)), file).toBe(true);
    const resultsFile = join(result.phases[0].reportDir, 'results.json');
    expect(parseRunResult(readFileSync(resultsFile, 'utf8'), resultsFile).tests.map((test) => test.status)).toEqual(['passed', 'passed']);
  });
});

const missingStores = await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);

describe.skipIf(missingStores)('full-size phases with default thresholds (built CLI, real servers)', () => {
  it.each(['2c', '2d'])("apex test phase %s passes at the seeds' sizes", { timeout: 900_000 }, async (phase) => {
    const { stdout, exitCode, stderr } = await runCli(project(), ['test', 'phase', phase, '--json']);
    const result = JSON.parse(stdout || '{}') as {
      ok?: boolean;
      phases?: { reportDir: string; issues: string[]; summary: { passed: number; workflowsExecuted: number } }[];
    };
    expect(exitCode, `${stderr}\n${JSON.stringify(result.phases?.[0]?.issues)} (see ${result.phases?.[0]?.reportDir}/ISSUES.md)`).toBe(0);
    expect(result.phases?.[0].summary).toMatchObject({ passed: 5, workflowsExecuted: phase === '2c' ? 650 : 250 });
  });
});

describe.skipIf(missingStores)('apex worker --json (built CLI, real servers)', () => {
  it('serves until SIGINT, then prints what it served as its --json result', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-worker-cli-'));
    writeFileSync(join(dir, 'apex.config.yaml'), `runtime: external\ningestion:\n  taskQueue: apex-worker-json-${process.pid}\n`);
    const metrics = `127.0.0.1:${await createPortAllocator().freePort()}`;
    const worker = runCli(dir, ['worker', '--json', '--metrics-address', metrics]);
    // The SDK reports its task slots once the worker polls: it is serving, and SIGINT now stops it.
    let serving = false;
    for (let attempt = 0; attempt < 180 && !serving && worker.exitCode === null; attempt += 1) {
      const body = await fetch(`http://${metrics}/metrics`).then(
        (response) => response.text(),
        () => '',
      );
      serving = body.includes('temporal_worker_task_slots_available');
      if (!serving) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(serving, 'the worker never started polling').toBe(true);
    worker.kill('SIGINT');
    const { exitCode, stdout, stderr } = await worker;
    expect(exitCode, stderr).toBe(0);
    expect(workerShape.parse(JSON.parse(stdout))).toMatchObject({
      apiVersion: 1,
      taskQueue: `apex-worker-json-${process.pid}`,
      metricsUrl: `http://${metrics}/metrics`,
    });
  });
});
