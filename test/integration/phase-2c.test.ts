import { describe, expect, it } from 'vitest';
import { phase2c } from '../../src/phases/phase-2c.js';
import { runPhaseForTest, statuses } from '../support/phase-run.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['temporal']);

/** Sizes for CI on a shared 2-core machine: every test still runs real workflows and verifies them exactly. */
const CI_2C = `phases:
  2c:
    minThroughputWorkflowsPerSecond: 1
    maxSchedulingP50Ms: 2000
    maxSchedulingP95Ms: 10000
    maxSchedulingP99Ms: 15000
    maxBacklogDrainSeconds: 120
`;

describe.skipIf(missing)('phase 2c against the real Temporal', () => {
  it('passes every test with exact verification (20 workflows per test)', { timeout: 600_000 }, async () => {
    const { result, read } = await runPhaseForTest(externalStack(CI_2C), { phase: phase2c, overrides: { workflows: 20 } });
    expect(statuses(result)).toEqual({
      test_100_concurrent_workflows: 'passed',
      test_workflow_scheduling_latency: 'passed',
      test_worker_task_queue_handling: 'passed',
      test_workflow_throughput: 'passed',
      test_activity_retry_under_load: 'passed',
    });
    expect(result.decision).toBe('proceed');
    expect(result.summary.workflowsExecuted).toBe(100);
    const concurrent = result.tests[0];
    // The stores are mocked: each result must still match what its document produces.
    expect(concurrent.checks.find((check) => check.name.startsWith('workflow results match their documents'))).toMatchObject({
      actual: '0 mismatches',
      passed: true,
    });
    expect(concurrent.checks.find((check) => check.name.startsWith('workflows succeeded'))).toMatchObject({ actual: '20/20', passed: true });
    expect(result.environment).toMatchObject({
      contract: 'reference',
      worker: 'in-process',
      verifies: 'workflow results and histories only: the stores and S3 are mocked',
    });
    expect(concurrent.metrics.stateTransitions).toBeGreaterThan(0);
    const retry = result.tests[4];
    expect(retry.checks.find((check) => check.name.includes('injected write_qdrant retries'))).toMatchObject({ actual: '20/20', passed: true });
    expect(retry.metrics.activityRetries).toBeGreaterThanOrEqual(20);
    expect(read('INDEX.md')).toContain('✅ **PASSED** (5/5 tests)');
    expect(read('junit.xml')).toContain('tests="5" failures="0" skipped="0"');
  });

  it('an external worker that is not running fails every test with the cause, never passes', { timeout: 120_000 }, async () => {
    const loaded = externalStack(`ingestion:\n  taskQueue: apex-nobody-polls-${Date.now()}\n`);
    const { result, read } = await runPhaseForTest(loaded, { phase: phase2c, externalWorker: true, overrides: { workflows: 2 } });
    expect(result.decision).toBe('blocked');
    expect(result.summary.failed).toBe(5);
    expect(result.summary.workflowsExecuted).toBe(0);
    expect(read('ISSUES.md')).toContain('No worker polling the task queue');
    expect(read('INDEX.md')).toContain('no workflow ran: nothing was validated');
  });
});
