import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phase2e } from '../../src/phases/phase-2e.js';
import type { PhaseRunResult } from '../../src/results/run-result.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { seedStack } from '../../src/services/seeding.js';
import { temporalAddress } from '../../src/services/temporal/client.js';
import { DOUBLE_DIR, missingDoublePython, startDouble } from '../support/apex-memory-double.js';
import { coreStores } from '../support/isolated-stack.js';
import { missingObservability } from '../support/observability-gate.js';
import { runPhaseForTest, statuses } from '../support/phase-run.js';
import { externalStack } from '../support/servers.js';

const missing = (await missingObservability()) ?? missingDoublePython();
const ports = createPortAllocator();

/** A short load on a shared 2-core machine: 4 documents ingested, 2 rolled back by the saga (a Neo4j write fails). */
const SIZES = 'phases:\n  2e: { loadWorkflows: 4, failingWorkflows: 2, loadRatePerSecond: 2 }\n';

/** The apex-memory contract with the double as its worker, on a queue and a metrics port of this test's own. */
const contractWith = (queue: string, metricsPort: number, worker: string) => `contract:
  use: apex-memory
  temporal: { taskQueue: ${queue} }
  worker:
    metricsUrl: "http://127.0.0.1:${metricsPort}/metrics"
${worker}`;

const doubleCommand = (metricsPort: number) => `    command: [${JSON.stringify(process.env.APEX_MEMORY_DOUBLE_PYTHON)}, -m, apex_memory_double.worker]
    cwd: ${JSON.stringify(DOUBLE_DIR)}
    env: { METRICS_PORT: "${metricsPort}" }
`;

const checksOf = (result: PhaseRunResult, test: string) => result.tests.find((candidate) => candidate.name === test)?.checks ?? [];

describe.skipIf(missing)("phase 2E measures the team's worker (the Python double) through the apex-memory contract", () => {
  beforeAll(async () => {
    for (const result of await seedStack(externalStack().stack, coreStores())) expect(result.ok, result.error).toBe(true);
  });

  it(
    "the worker apex starts: its 26 metrics as catalogued, counters moved by the workload's amounts, scraped by Prometheus; no apex worker",
    { timeout: 600_000 },
    async () => {
      const queue = `apex-memory-2e-${Date.now().toString(36)}`;
      const metricsPort = await ports.freePort();
      const { result, read } = await runPhaseForTest(externalStack(`${SIZES}${contractWith(queue, metricsPort, doubleCommand(metricsPort))}`), {
        phase: phase2e,
      });
      const apexOnly = "read the SDK metrics of apex's own worker, and the worker under test is the contract's (apex-memory (with overrides))";
      expect(statuses(result)).toEqual({
        test_metrics_under_load: 'passed',
        test_prometheus_targets_up: 'passed',
        test_required_metrics_exposed: 'passed',
        test_required_metrics_scraped: 'passed',
        test_worker_metrics_catalogued: 'passed',
        test_dashboard_queries_return_data: `skipped: apex's dashboards ${apexOnly}`,
        test_alert_rules_select_existing_metrics: `skipped: apex's alert rules (phase 2F checks the project's own) ${apexOnly}`,
        test_grafana_dashboard_provisioned: expect.stringMatching(/^skipped: Grafana is not running/),
      });
      expect(result.environment).toMatchObject({ contract: 'apex-memory (with overrides)', worker: 'started', taskQueue: queue });
      const load = checksOf(result, 'test_metrics_under_load');
      expect(load.find((check) => check.name === 'failing by design: workflows failed and compensated')).toMatchObject({ actual: '2/2', passed: true });
      const moved = Object.fromEntries(
        load.filter((check) => check.name.endsWith(' moved')).map((check) => [check.name, `${check.expected} → ${check.actual}`]),
      );
      expect(moved).toMatchObject({
        'apex_temporal_workflow_started_total moved': '= 6 (1 × workflows) → 6',
        'apex_temporal_workflow_completed_total{status="success"} moved': '= 4 (1 × succeeded) → 4',
        'apex_temporal_workflow_completed_total{status="failed"} moved': '= 2 (1 × failed) → 2',
        'apex_temporal_workflow_duration_seconds_count moved': '= 6 (1 × workflows) → 6',
        'apex_temporal_saga_rollback_triggered moved': expect.stringMatching(/^≥ 2 \(1 × failed\) → [2-9]$/),
        'apex_temporal_databases_written{database="postgres", status="success"} moved': expect.stringMatching(/^≥ 4 \(1 × succeeded\) → \d+$/),
      });
      expect(load.filter((check) => check.name.endsWith(' moved')).every((check) => check.passed)).toBe(true);
      const catalogued = checksOf(result, 'test_worker_metrics_catalogued');
      expect(catalogued).toHaveLength(26);
      expect(catalogued.find((check) => check.name === 'apex_temporal_activity_retry_count catalogued')?.actual).toMatch(
        /^apex_temporal_activity_retry_count_total: counter with HELP/,
      );
      // Prometheus holds the worker's series under its job, besides the Temporal server's required metrics.
      const scraped = checksOf(result, 'test_required_metrics_scraped').map((check) => check.expected);
      expect(scraped).toContain('series {__name__="apex_temporal_workflow_started_total", job="apex-worker"} with samples');
      expect(scraped.some((selector) => selector.includes('temporal_num_pollers'))).toBe(false);
      expect(checksOf(result, 'test_prometheus_targets_up').map((check) => check.actual)).toContain(`http://127.0.0.1:${metricsPort}/metrics: up`);
      expect(read('INDEX.md')).toContain('Phase 2E');
    },
  );

  describe('an external worker with a counter that never moves', () => {
    const queue = `apex-memory-2e-frozen-${Date.now().toString(36)}`;
    let connection: Connection;
    let double: Awaited<ReturnType<typeof startDouble>>;
    beforeAll(async () => {
      const { stack } = externalStack();
      connection = await Connection.connect({ address: temporalAddress(resolveEndpoint(stack.config, serviceByName('temporal'))) });
      double = await startDouble(stack, connection, {
        namespace: 'default',
        taskQueue: queue,
        postgresDb: 'apex_memory',
        bucket: 'apex-documents-test',
        frozenMetric: 'apex_temporal_workflow_started_total',
      });
    }, 120_000);
    afterAll(async () => {
      await double?.stop();
      await connection?.close();
    });

    it('fails the load test on that counter, with before/after as evidence and the diagnosis', { timeout: 400_000 }, async () => {
      const metricsPort = Number(new URL(double.metricsUrl).port);
      const loaded = externalStack(`${SIZES}${contractWith(queue, metricsPort, '')}`);
      const { result, read } = await runPhaseForTest(loaded, { phase: phase2e, externalWorker: true, tests: ['test_metrics_under_load'] });
      expect(result.environment.worker).toBe('external');
      expect(result.tests[0].status).toBe('failed');
      const failing = result.tests[0].checks.filter((check) => !check.passed);
      expect(failing).toEqual([{ name: 'apex_temporal_workflow_started_total moved', expected: '= 6 (1 × workflows)', actual: '0', passed: false }]);
      expect(result.diagnoses.map((diagnosis) => diagnosis.signature)).toEqual(['counter-did-not-move']);
      expect(read('ISSUES.md')).toContain('moved by 0, expected = 6 (1 × workflows)');
    });
  });
});
