import { beforeAll, describe, expect, it } from 'vitest';
import { phase2f } from '../../src/phases/phase-2f.js';
import { seedStack } from '../../src/services/seeding.js';
import { coreStores } from '../support/isolated-stack.js';
import { missingObservability } from '../support/observability-gate.js';
import { runPhaseForTest, statuses } from '../support/phase-run.js';
import { externalStack } from '../support/servers.js';
import { templatesWith } from '../support/templates-copy.js';

const missing = await missingObservability();

const seconds = (actual: string): number => Number.parseFloat(actual);

describe.skipIf(missing)('phase 2f against Debian Prometheus/Alertmanager, the real Temporal and the reference worker', () => {
  // The worker writes to every store: make sure they are migrated and seeded, whatever ran before.
  beforeAll(async () => {
    const results = await seedStack(externalStack().stack, coreStores());
    for (const result of results) expect(result, `${result.service}: ${result.error ?? ''}`).toMatchObject({ ok: true });
  });

  it('proves the rules offline, then fires, delivers, routes and resolves real alerts', { timeout: 420_000 }, async () => {
    const { result, read } = await runPhaseForTest(externalStack(), { phase: phase2f });
    const noProjectRules = "skipped: the worker contract names no rule files of its own (`alerts.ruleFiles`): apex's rules are checked instead";
    expect(statuses(result)).toEqual({
      test_rules_promtool_check: 'passed',
      test_rules_unit_tests: 'passed',
      test_rules_annotations: 'passed',
      test_rules_metrics_served: noProjectRules,
      test_alertmanager_routing_config: 'passed',
      test_worker_down_alert_fires: 'passed',
      test_worker_down_alert_resolves: 'passed',
      test_failure_rate_alert_fires: 'passed',
      test_alerts_routed_to_expected_receivers: 'passed',
      test_project_alerts_fire_and_resolve: noProjectRules,
    });
    expect(result.decision).toBe('proceed');
    const byName = Object.fromEntries(result.tests.map((test) => [test.name, test]));
    // 12 rules, each with a firing and a quiet unit test.
    expect(byName.test_rules_unit_tests.checks.filter((check) => check.name.endsWith(' unit tests'))).toHaveLength(12);
    // WorkerDown: for 5s + scrape 1s + 5s slack; measured from the kill, at every hop.
    const fired = byName.test_worker_down_alert_fires.checks;
    expect(fired.find((check) => check.name === 'WorkerDown routed')).toMatchObject({ expected: 'apex-oncall', actual: 'apex-oncall' });
    const inAlertmanager = seconds(fired.find((check) => check.name === 'WorkerDown active in Alertmanager')!.actual);
    expect(inAlertmanager).toBeGreaterThanOrEqual(5);
    expect(inAlertmanager).toBeLessThanOrEqual(11);
    // Every workflow started while the worker was dead completed once it came back, with exact store counts.
    const back = byName.test_worker_down_alert_resolves;
    expect(back.checks.find((check) => check.name === 'workflows started under load: workflows succeeded (as their results say)')).toMatchObject({
      actual: '20/20',
      passed: true,
    });
    expect(byName.test_failure_rate_alert_fires.checks.find((check) => check.name === 'HighWorkflowFailureRate routed')).toMatchObject({
      actual: 'apex-oncall',
      passed: true,
    });
    expect(read('INDEX.md')).toContain('Phase 2F');
    expect(read('junit.xml')).toContain('failures="0"');
  });

  it(
    'test_worker_down_alert_resolves alone kills the worker under load itself, then checks the alert resolves and every workflow completes',
    { timeout: 300_000 },
    async () => {
      const { result } = await runPhaseForTest(externalStack(), {
        phase: phase2f,
        tests: ['test_worker_down_alert_resolves', 'test_alerts_routed_to_expected_receivers'],
      });
      expect(statuses(result)).toEqual({ test_worker_down_alert_resolves: 'passed', test_alerts_routed_to_expected_receivers: 'passed' });
      const checks = result.tests[0].checks;
      expect(checks.find((check) => check.name === 'WorkerDown firing before the restart')).toMatchObject({ passed: true });
      expect(checks.find((check) => check.name === 'WorkerDown resolved notification')).toMatchObject({ passed: true });
      expect(checks.find((check) => check.name === 'workflows started under load: workflows succeeded (as their results say)')).toMatchObject({
        actual: '20/20',
        passed: true,
      });
      expect(result.tests[1].checks.find((check) => check.name === 'WorkerDown receivers')).toMatchObject({ actual: 'apex-oncall', passed: true });
    },
  );

  it('fails with a "rule syntax error" diagnosis naming the rule when a rule has a typo', { timeout: 120_000 }, async () => {
    const templates = templatesWith('prometheus/rules/apex-alerts.yml', (text) =>
      text.replace('expr: up{job="apex-worker"} == 0', 'expr: up{job="apex-worker" == 0'),
    );
    const loaded = externalStack();
    const { result, read } = await runPhaseForTest(
      { ...loaded, stack: { ...loaded.stack, templatesDir: templates } },
      { phase: phase2f, tests: ['test_rules_promtool_check', 'test_rules_unit_tests'] },
    );
    expect(statuses(result)).toEqual({
      test_rules_promtool_check: expect.stringMatching(/^failed: promtool check rules .*apex-alerts\.yml: expected SUCCESS/),
      test_rules_unit_tests: expect.stringMatching(/^failed: /),
    });
    expect(result.decision).toBe('blocked');
    expect(result.diagnoses[0]).toMatchObject({ signature: 'rule-syntax-error', title: 'Alert rule syntax error' });
    const issues = read('ISSUES.md');
    expect(issues).toContain('Rule syntax error: WorkerDown');
    expect(issues).toMatch(/apex-alerts\.yml:\d+ rule "WorkerDown": could not parse expression/);
  });

  it('fails with "wrong receiver" when the routing tree sends critical alerts to the catch-all', { timeout: 120_000 }, async () => {
    const templates = templatesWith('alertmanager/alertmanager.yml', (text) =>
      text.replace(`matchers: ['severity="critical"']`, `matchers: ['severity="page"']`),
    );
    const loaded = externalStack();
    const { result, read } = await runPhaseForTest(
      { ...loaded, stack: { ...loaded.stack, templatesDir: templates } },
      { phase: phase2f, tests: ['test_alertmanager_routing_config'] },
    );
    expect(result.decision).toBe('blocked');
    const misrouted = result.tests[0].checks.filter((check) => !check.passed).map((check) => check.name);
    expect(misrouted).toEqual(['WorkerDown routed', 'TemporalServerDown routed', 'StoreUnreachable routed', 'HighWorkflowFailureRate routed']);
    expect(result.diagnoses.map((diagnosis) => diagnosis.signature)).toEqual(['alert-misrouted']);
    expect(read('ISSUES.md')).toContain('Alert routed to the wrong receiver: WorkerDown');
  });
});
