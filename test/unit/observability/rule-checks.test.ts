import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apexMemoryContract } from '../../../src/contracts/built-in/apex-memory.js';
import { workerContractSchema } from '../../../src/contracts/schema.js';
import { parseExposition } from '../../../src/observability/exposition.js';
import { metricFamily, metricsInExpression } from '../../../src/observability/promql-metrics.js';
import { checkRuleAnnotations, checkRuleMetricsServed, RULE_EVIDENCE } from '../../../src/observability/rule-checks.js';
import { alertRulesIn, type AlertRule } from '../../../src/observability/rule-files.js';
import { DOUBLE_DIR } from '../../support/apex-memory-double.js';

const contract = workerContractSchema.parse(apexMemoryContract);
const alerts = contract.alerts!;
const requirements = { labels: alerts.labels, annotations: alerts.annotations };

const rule = (overrides: Partial<AlertRule>): AlertRule => ({
  file: 'monitoring/alerts/rules.yml',
  group: 'temporal_workflows',
  alert: 'TemporalWorkflowFailureRateHigh',
  expr: 'sum(rate(apex_temporal_workflow_completed_total{status="failed"}[1m])) > 0',
  labels: { severity: 'critical', component: 'temporal-workflow' },
  annotations: { summary: 's', description: 'd', runbook_url: 'https://runbooks.invalid/x' },
  ...overrides,
});

const EXPOSITION = `# HELP apex_temporal_workflow_completed_total Workflows completed
# TYPE apex_temporal_workflow_completed_total counter
apex_temporal_workflow_completed_total{workflow_type="DocumentIngestionWorkflow",status="success"} 3.0
apex_temporal_workflow_completed_created{workflow_type="DocumentIngestionWorkflow",status="success"} 1.7e9
# HELP apex_temporal_saga_rollback_triggered_total Saga rollbacks
# TYPE apex_temporal_saga_rollback_triggered_total counter
# HELP apex_temporal_workflow_duration_seconds Workflow start to close
# TYPE apex_temporal_workflow_duration_seconds histogram
apex_temporal_workflow_duration_seconds_bucket{le="1.0"} 2.0
apex_temporal_workflow_duration_seconds_count 2.0
apex_temporal_workflow_duration_seconds_sum 1.5
`;

describe('checkRuleAnnotations with the requirements of a contract', () => {
  it('passes an alert with severity, component, summary, description and runbook_url', () => {
    expect(checkRuleAnnotations([rule({})], requirements)).toEqual({
      checks: [
        {
          name: 'TemporalWorkflowFailureRateHigh annotations',
          expected: 'summary, description, runbook_url, label severity, label component',
          actual: 'complete',
          passed: true,
        },
      ],
      evidence: [],
    });
  });

  it('fails each alert that lacks one, naming the file, the group and the alert', () => {
    const { checks, evidence } = checkRuleAnnotations(
      [rule({ annotations: { summary: 's', description: 'd' } }), rule({ alert: 'TemporalIngestionThroughputZero', labels: { severity: 'critical' } })],
      requirements,
    );
    expect(checks.map((check) => [check.actual, check.passed])).toEqual([
      ['missing runbook_url', false],
      ['missing label component', false],
    ]);
    expect(evidence.map((item) => [item.summary, item.lines])).toEqual([
      [
        `${RULE_EVIDENCE.annotations}: TemporalWorkflowFailureRateHigh`,
        ['monitoring/alerts/rules.yml: group temporal_workflows: TemporalWorkflowFailureRateHigh lacks runbook_url'],
      ],
      [
        `${RULE_EVIDENCE.annotations}: TemporalIngestionThroughputZero`,
        ['monitoring/alerts/rules.yml: group temporal_workflows: TemporalIngestionThroughputZero lacks label component'],
      ],
    ]);
  });

  it("checks runbook sections only when a runbook is given (apex's own rules)", () => {
    const withAnchor = rule({ annotations: { summary: 's', description: 'd', runbook_url: 'runbook.md#gone' } });
    expect(checkRuleAnnotations([withAnchor], requirements).checks[0].passed).toBe(true);
    expect(checkRuleAnnotations([withAnchor], requirements, new Set(['workerdown'])).checks[0].actual).toBe('missing runbook section #gone');
  });
});

describe('checkRuleMetricsServed', () => {
  const families = parseExposition(EXPOSITION);
  const url = 'http://127.0.0.1:9091/metrics';

  it("accepts a counter's _total series, a declared counter with no sample yet, a histogram's series, and ignores up", () => {
    const rules = [
      rule({}),
      rule({ alert: 'TemporalSagaRollbackRateHigh', expr: 'rate(apex_temporal_saga_rollback_triggered_total[1m]) > 0 or up == 0' }),
      rule({
        alert: 'TemporalWorkflowDurationP99High',
        expr: 'histogram_quantile(0.99, sum by (le) (rate(apex_temporal_workflow_duration_seconds_bucket[1m]))) > 60',
      }),
    ];
    const { checks, evidence } = checkRuleMetricsServed(rules, families, url);
    expect(checks.map((check) => [check.name, check.actual, check.passed])).toEqual([
      ['TemporalWorkflowFailureRateHigh metrics served', 'all 1 served', true],
      ['TemporalSagaRollbackRateHigh metrics served', 'all 1 served', true],
      ['TemporalWorkflowDurationP99High metrics served', 'all 1 served', true],
    ]);
    expect(evidence).toEqual([]);
  });

  it('fails an alert over a metric the worker does not serve, naming file, group and alert, and the likely rename', () => {
    const { checks, evidence } = checkRuleMetricsServed([rule({ expr: 'sum(rate(apex_temporal_workflow_complete_total[1m])) > 0' })], families, url);
    expect(checks[0]).toMatchObject({ actual: 'missing apex_temporal_workflow_complete_total', passed: false });
    expect(evidence[0].summary).toBe(`${RULE_EVIDENCE.metricMissing}: TemporalWorkflowFailureRateHigh`);
    expect(evidence[0].lines).toEqual([
      `monitoring/alerts/rules.yml: group temporal_workflows: TemporalWorkflowFailureRateHigh reads apex_temporal_workflow_complete_total, which ${url} does not serve (it serves apex_temporal_workflow_completed_total)`,
    ]);
  });
});

describe("the contract double's rules file (test/apex-memory-double/monitoring/alerts/rules.yml)", () => {
  const file = join(DOUBLE_DIR, 'monitoring', 'alerts', 'rules.yml');
  const rules = alertRulesIn(file);

  it("holds the team's twelve alerts in group temporal_workflows, every one with the labels and annotations the contract requires", () => {
    expect(rules.map((candidate) => candidate.group)).toEqual(Array(12).fill('temporal_workflows'));
    expect(rules.map((candidate) => candidate.alert)).toEqual([
      'TemporalWorkflowFailureRateHigh',
      'TemporalActivityRetryRateHigh',
      'TemporalWorkerTaskSlotsExhausted',
      'TemporalTaskQueueBacklog',
      'TemporalZeroChunksExtracted',
      'TemporalZeroEntitiesExtracted',
      'TemporalSagaRollbackRateHigh',
      'TemporalS3DownloadFailureRate',
      'TemporalEmbeddingFailureRate',
      'TemporalDatabaseWriteFailure',
      'TemporalWorkflowDurationP99High',
      'TemporalIngestionThroughputZero',
    ]);
    expect(checkRuleAnnotations(rules, requirements).evidence).toEqual([]);
    for (const drive of alerts.drive) expect(rules.map((candidate) => candidate.alert)).toContain(drive.alert);
  });

  it("reads only the double's apex_temporal_* metrics", () => {
    const declared = new Set(
      [...readFileSync(join(DOUBLE_DIR, 'apex_memory_double', 'metrics.py'), 'utf8').matchAll(/"(apex_temporal_\w+)"/g)].map((match) => match[1]),
    );
    expect(declared.size).toBe(26);
    for (const candidate of rules) {
      const { metrics, syntaxError } = metricsInExpression(candidate.expr);
      expect(syntaxError, candidate.alert).toBeUndefined();
      for (const metric of metrics) {
        const family = metricFamily(metric);
        expect(declared.has(family) || declared.has(family.replace(/_total$/, '')) || declared.has(metric), `${candidate.alert}: ${metric}`).toBe(true);
      }
    }
  });
});
