import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { phase2f } from '../../src/phases/phase-2f.js';
import type { PhaseRunResult } from '../../src/results/run-result.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { seedStack } from '../../src/services/seeding.js';
import { DOUBLE_DIR, missingDoublePython } from '../support/apex-memory-double.js';
import { coreStores } from '../support/isolated-stack.js';
import { missingObservability } from '../support/observability-gate.js';
import { runPhaseForTest, statuses } from '../support/phase-run.js';
import { externalStack } from '../support/servers.js';

const missing = (await missingObservability()) ?? missingDoublePython();
const ports = createPortAllocator();
const DOUBLE_RULES = join(DOUBLE_DIR, 'monitoring', 'alerts', 'rules.yml');

/**
 * The apex-memory contract with the Python double as its worker, on a queue of this test's own, its metrics on a free
 * port; the rules file sits where the contract looks for it (monitoring/alerts/rules.yml beside the config file).
 */
async function doubleProject(rules: (text: string) => string = (text) => text) {
  const port = await ports.freePort();
  const queue = `apex-memory-2f-${Date.now().toString(36)}`;
  const loaded = externalStack(`contract:
  use: apex-memory
  temporal: { taskQueue: ${queue} }
  worker:
    command: [${JSON.stringify(process.env.APEX_MEMORY_DOUBLE_PYTHON)}, -m, apex_memory_double.worker]
    cwd: ${JSON.stringify(DOUBLE_DIR)}
    env: { METRICS_PORT: "${port}" }
    metricsUrl: http://127.0.0.1:${port}/metrics
`);
  const target = join(loaded.stack.projectDir, 'monitoring', 'alerts', 'rules.yml');
  mkdirSync(dirname(target), { recursive: true });
  cpSync(DOUBLE_RULES, target);
  writeFileSync(target, rules(readFileSync(target, 'utf8')));
  return { loaded, rulesFile: target };
}

const checksOf = (result: PhaseRunResult, test: string) => result.tests.find((candidate) => candidate.name === test)!.checks;
const secondsIn = (text: string, label: RegExp): number => Number.parseFloat(label.exec(text)![1]);

describe.skipIf(missing)("phase 2F on the project's own rules file, driven with the team's worker (the Python double)", () => {
  beforeAll(async () => {
    for (const result of await seedStack(externalStack().stack, coreStores())) expect(result.ok, result.error).toBe(true);
  });

  it(
    'checks the rules with promtool, their labels, annotations and metrics, then fires and resolves the failure-rate and zero-throughput alerts',
    { timeout: 600_000 },
    async () => {
      const { loaded } = await doubleProject();
      const { result, read } = await runPhaseForTest(loaded, { phase: phase2f });
      const apexOwn = 'skipped: the worker contract brings its own rules (`alerts`): test_project_alerts_fire_and_resolve drives them';
      expect(statuses(result)).toEqual({
        test_rules_promtool_check: 'passed',
        test_rules_unit_tests: "skipped: the worker contract names no unit tests for the project's rules (`alerts.testFiles`)",
        test_rules_annotations: 'passed',
        test_rules_metrics_served: 'passed',
        test_alertmanager_routing_config: 'passed',
        test_worker_down_alert_fires: apexOwn,
        test_worker_down_alert_resolves: apexOwn,
        test_failure_rate_alert_fires: apexOwn,
        test_alerts_routed_to_expected_receivers: apexOwn,
        test_project_alerts_fire_and_resolve: 'passed',
      });
      expect(result.decision).toBe('proceed');
      expect(result.environment).toMatchObject({ contract: 'apex-memory (with overrides)', worker: 'started' });
      // Twelve alerts, each with its labels and annotations and every metric it reads served by the double.
      expect(checksOf(result, 'test_rules_annotations')).toHaveLength(12);
      expect(checksOf(result, 'test_rules_metrics_served').map((check) => check.passed)).toEqual(Array(12).fill(true));

      const live = checksOf(result, 'test_project_alerts_fire_and_resolve');
      const times: Record<string, { fire: number; resolve: number }> = {};
      for (const alert of ['TemporalWorkflowFailureRateHigh', 'TemporalIngestionThroughputZero']) {
        const headline = live.find((check) => check.name === `${alert} fired and resolved`)!;
        expect(headline.passed, headline.actual).toBe(true);
        times[alert] = { fire: secondsIn(headline.actual, /^fired after ([\d.]+) s/), resolve: secondsIn(headline.actual, /resolved after ([\d.]+) s/) };
        // Both are critical in the double's rules: apex's routing tree pages apex-oncall, firing and resolved.
        expect(live.find((check) => check.name === `${alert} routed`)).toMatchObject({ actual: 'apex-oncall', passed: true });
        expect(live.find((check) => check.name === `${alert} resolved notification`)?.actual).toMatch(/ s at apex-oncall$/);
        expect(live.find((check) => check.name === `${alert} relief: workflows verified in the stores`)?.passed).toBe(true);
      }
      console.info(`2F alert times against the double: ${JSON.stringify(times)}`);
      // for: 5 s (testFor) on 1 s scrapes: neither can fire sooner; the zero-throughput window is 20 s of no completion.
      expect(times.TemporalWorkflowFailureRateHigh.fire).toBeGreaterThanOrEqual(5);
      expect(times.TemporalIngestionThroughputZero.fire).toBeGreaterThanOrEqual(20);
      // The failures were really failed writes, rolled back in every store.
      expect(live.find((check) => check.name === 'TemporalWorkflowFailureRateHigh provoked (failures): workflows verified in the stores')?.passed).toBe(true);
      expect(read('INDEX.md')).toMatch(/TemporalWorkflowFailureRateHigh fired and resolved.*fired after [\d.]+ s/);
      expect(read('INDEX.md')).toMatch(/TemporalIngestionThroughputZero fired and resolved.*resolved after [\d.]+ s/);
    },
  );

  it(
    'fails a rule without runbook_url and a rule over a metric the worker does not serve, naming the file, group and alert',
    { timeout: 300_000 },
    async () => {
      const { loaded, rulesFile } = await doubleProject((text) =>
        text
          .replace('          runbook_url: https://runbooks.invalid/apex-memory-double/TemporalTaskQueueBacklog\n', '')
          .replace('max by (task_queue, task_type) (apex_temporal_task_queue_depth)', 'max by (task_queue) (apex_temporal_task_queue_backlog)'),
      );
      const { result, read } = await runPhaseForTest(loaded, {
        phase: phase2f,
        tests: ['test_rules_promtool_check', 'test_rules_annotations', 'test_rules_metrics_served'],
      });
      expect(statuses(result)).toEqual({
        test_rules_promtool_check: 'passed',
        test_rules_annotations: expect.stringMatching(/^failed: TemporalTaskQueueBacklog annotations: expected .*runbook_url.*, got missing runbook_url/),
        test_rules_metrics_served: expect.stringMatching(/^failed: TemporalTaskQueueBacklog metrics served: .*missing apex_temporal_task_queue_backlog/),
      });
      expect(result.decision).toBe('blocked');
      const issues = read('ISSUES.md');
      expect(issues).toContain(`${rulesFile}: group temporal_workflows: TemporalTaskQueueBacklog lacks runbook_url`);
      expect(issues).toMatch(
        new RegExp(
          `${rulesFile}: group temporal_workflows: TemporalTaskQueueBacklog reads apex_temporal_task_queue_backlog, which http://127\\.0\\.0\\.1:\\d+/metrics does not serve`,
        ),
      );
    },
  );
});
