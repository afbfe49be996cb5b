import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../../src/config/stack-context.js';
import { panelQueries, readDashboards } from '../../../src/observability/dashboard-queries.js';
import { knownSeriesNames, SCRAPE_JOBS } from '../../../src/observability/metric-catalogue.js';
import { metricFamily, metricsInExpression } from '../../../src/observability/promql-metrics.js';
import { alertRulesIn, APEX_RULE_REQUIREMENTS } from '../../../src/observability/rule-files.js';
import { checkRuleAnnotations, markdownAnchors } from '../../../src/observability/rule-checks.js';
import { readRuleTestFile, ruleTestCoverage, untestedRules } from '../../../src/observability/rule-tests.js';

const prometheusDir = join(TEMPLATES_DIR, 'prometheus');
const rules = readdirSync(join(prometheusDir, 'rules')).flatMap((name) => alertRulesIn(join(prometheusDir, 'rules', name)));
const known = new Set(knownSeriesNames());

describe('templates/prometheus rules', () => {
  it('holds the twelve alerts the issue and the seeds ask for, the six named ones among them', () => {
    expect(rules).toHaveLength(12);
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'WorkerDown',
        'HighWorkflowFailureRate',
        'HighWorkflowScheduleToStartLatency',
        'ActivityRetrySpike',
        'StoreUnreachable',
        'TaskQueueBacklogGrowing',
      ]),
    );
  });

  it('gives every rule a summary, a description, a severity and a runbook section that exists', () => {
    const anchors = markdownAnchors(readFileSync(join(prometheusDir, 'runbook.md'), 'utf8'));
    const { checks } = checkRuleAnnotations(rules, APEX_RULE_REQUIREMENTS, anchors);
    expect(checks.filter((check) => !check.passed)).toEqual([]);
  });

  it('selects only metrics apex knows the server or the SDK exposes, on the jobs prometheus.yml defines', () => {
    for (const rule of rules) {
      const { metrics, syntaxError } = metricsInExpression(rule.expr);
      expect(syntaxError, rule.alert).toBeUndefined();
      for (const metric of metrics) expect(known.has(metricFamily(metric)) || known.has(metric), `${rule.alert}: ${metric}`).toBe(true);
      expect(
        Object.values(SCRAPE_JOBS).some((job) => rule.expr.includes(`job="${job}"`)),
        rule.alert,
      ).toBe(true);
    }
  });

  it('has a unit test making every rule fire and one keeping it quiet', () => {
    const testFiles = readdirSync(join(prometheusDir, 'tests')).map((name) => readRuleTestFile(join(prometheusDir, 'tests', name)));
    expect(untestedRules(rules, ruleTestCoverage(testFiles))).toEqual({ neverFires: [], neverQuiet: [] });
  });
});

describe('templates/prometheus/prometheus.yml', () => {
  it('scrapes the Temporal server and the worker under the job names the rules use', () => {
    const config = parse(readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string }[] };
    expect(config.scrape_configs.map((job) => job.job_name)).toEqual(expect.arrayContaining(Object.values(SCRAPE_JOBS)));
  });
});

describe('templates/grafana', () => {
  const dashboards = readDashboards(join(TEMPLATES_DIR, 'grafana', 'dashboards'));
  const queries = dashboards.flatMap((dashboard) => panelQueries(dashboard.json, { rateInterval: '1m', interval: '15s' }));

  it('provisions the ingestion dashboard with the panels the issue lists', () => {
    const panels = new Set(queries.map((query) => query.panel));
    for (const wanted of [/throughput/i, /latency percentiles/i, /failures/i, /retries/i, /schedule-to-start/i, /per-store write latency/i]) {
      expect(
        [...panels].some((panel) => wanted.test(panel)),
        String(wanted),
      ).toBe(true);
    }
  });

  it('resolves every variable and selects only known metrics', () => {
    for (const query of queries) {
      expect(query.resolved, query.panel).not.toMatch(/\$/);
      const { metrics, syntaxError } = metricsInExpression(query.resolved);
      expect(syntaxError, query.panel).toBeUndefined();
      for (const metric of metrics) expect(known.has(metricFamily(metric)) || known.has(metric), `${query.panel}: ${metric}`).toBe(true);
    }
  });

  it('points the dashboards at the provisioned datasource', () => {
    const datasource = parse(readFileSync(join(TEMPLATES_DIR, 'grafana', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: { uid: string }[] };
    const uid = datasource.datasources[0].uid;
    for (const dashboard of dashboards) expect(JSON.stringify(dashboard.json)).toContain(`"uid":"${uid}"`);
  });
});
