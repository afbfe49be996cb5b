import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../src/observability/exposition.js';
import {
  checkMetricsExposed,
  checkMetricsScraped,
  checkPanelQueries,
  checkRuleMetrics,
  checkTargetsUp,
  EVIDENCE,
  requiredScrapes,
} from '../../../src/observability/metric-checks.js';
import { PrometheusApiError } from '../../../src/observability/prometheus-api.js';
import type { ScrapeTarget } from '../../../src/observability/prometheus-api.js';
import { fakePrometheus, vector } from './fakes.js';

const urls = { temporal: 'http://127.0.0.1:9000/metrics', worker: 'http://127.0.0.1:9464/metrics' };
const target = (job: string, health: ScrapeTarget['health'], lastError = ''): ScrapeTarget => ({
  labels: { job },
  scrapePool: job,
  scrapeUrl: `http://${job}/metrics`,
  lastError,
  lastScrape: '',
  health,
});

describe('checkTargetsUp', () => {
  it('fails a job whose target is down, with the scrape error as evidence', () => {
    const { checks, evidence } = checkTargetsUp([target('temporal', 'up'), target('apex-worker', 'down', 'connection refused')], ['temporal', 'apex-worker']);
    expect(checks.map((check) => check.passed)).toEqual([true, false]);
    expect(evidence).toEqual([
      { source: 'verification', summary: `${EVIDENCE.targetDown}: job apex-worker`, lines: ['http://apex-worker/metrics: connection refused'], workflows: 0 },
    ]);
  });

  it('fails a job with no target at all', () => {
    expect(checkTargetsUp([], ['apex-worker']).checks[0]).toMatchObject({ passed: false, actual: 'no target configured' });
  });
});

describe('checkMetricsExposed', () => {
  const worker = parseExposition(
    '# TYPE temporal_request_total counter\ntemporal_request_total 3\n# TYPE temporal_num_pollers gauge\ntemporal_num_pollers 2\n',
  );

  it('passes a metric on its endpoint, names the rename for one exposed under another name, and flags a missing one', () => {
    const { checks, evidence } = checkMetricsExposed(
      ['temporal_num_pollers', 'temporal_request', 'apex_no_such_metric_at_all'],
      { worker, temporal: new Map() },
      urls,
    );
    expect(checks.map((check) => [check.name, check.passed])).toEqual([
      ['temporal_num_pollers exposed', true],
      ['temporal_request exposed', false],
      ['apex_no_such_metric_at_all exposed', false],
    ]);
    expect(evidence.map((item) => item.summary)).toEqual([
      `${EVIDENCE.metricRenamed}: temporal_request → temporal_request_total`,
      `${EVIDENCE.metricMissing}: apex_no_such_metric_at_all`,
    ]);
  });

  it('does not accept a server metric from the worker endpoint', () => {
    const { checks } = checkMetricsExposed(['service_requests'], { worker: parseExposition('service_requests 1\n'), temporal: new Map() }, urls);
    expect(checks[0].passed).toBe(false);
  });
});

describe('checkMetricsScraped', () => {
  it('queries the sample series of the right job and passes only with series', async () => {
    const queries: string[] = [];
    const prometheus = fakePrometheus({ query: async (expr) => (queries.push(expr), expr.includes('temporal_num_pollers') ? vector('3') : vector()) });
    const { checks, evidence } = await checkMetricsScraped(prometheus, requiredScrapes(['temporal_num_pollers', 'service_latency']), '2m');
    expect(queries).toEqual([
      'count(last_over_time({__name__="temporal_num_pollers", job="apex-worker"}[2m]))',
      'count(last_over_time({__name__="service_latency_count", job="temporal"}[2m]))',
    ]);
    expect(checks.map((check) => check.passed)).toEqual([true, false]);
    expect(evidence[0].summary).toBe(`${EVIDENCE.metricNotScraped}: service_latency`);
  });
});

describe('checkPanelQueries', () => {
  const query = (panel: string, resolved: string) => ({ dashboardUid: 'd', dashboardTitle: 'D', panel, refId: 'A', expr: resolved, resolved });

  it('fails a query error, an empty result and an all-NaN result; passes real values', async () => {
    const prometheus = fakePrometheus({
      query: async (expr) => {
        if (expr === 'bad(') throw new PrometheusApiError('bad_data', 'parse error');
        if (expr === 'empty') return vector();
        if (expr === 'nan') return vector('NaN');
        return vector('1.5');
      },
    });
    const { checks, evidence } = await checkPanelQueries(prometheus, [query('ok', 'good'), query('err', 'bad('), query('none', 'empty'), query('nan', 'nan')]);
    expect(checks.map((check) => [check.passed, check.actual])).toEqual([
      [true, '1 series'],
      [false, 'error: bad_data: parse error'],
      [false, 'no series'],
      [false, '1 series, all NaN (no observations in the window)'],
    ]);
    expect(evidence.map((item) => item.summary.split(':')[0])).toEqual([EVIDENCE.queryError, EVIDENCE.queryNoData, EVIDENCE.queryNoData]);
  });
});

describe('checkRuleMetrics', () => {
  const rule = (alert: string, expr: string) => ({ file: 'r.yml', group: 'g', alert, expr, labels: {}, annotations: {} });

  it('flags a rule over a metric Prometheus does not have, suggesting the close name', () => {
    const { checks, evidence } = checkRuleMetrics(
      [rule('Ok', 'up{job="x"} == 0'), rule('Typo', 'rate(temporal_workflow_faild[5m]) > 0'), rule('OnError', 'rate(temporal_request_failure[5m]) > 0')],
      ['up', 'temporal_workflow_failed', 'temporal_request'],
      ['temporal_request_failure'],
    );
    expect(checks.map((check) => check.passed)).toEqual([true, false, true]);
    expect(evidence[0].lines[0]).toBe('r.yml: Typo selects temporal_workflow_faild (did you mean temporal_workflow_failed?)');
  });

  it('accepts histogram series of a known family', () => {
    expect(checkRuleMetrics([rule('H', 'rate(a_latency_bucket[5m])')], ['a_latency_bucket', 'a_latency_count'], []).checks[0].passed).toBe(true);
  });
});
