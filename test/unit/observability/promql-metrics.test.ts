import { describe, expect, it } from 'vitest';
import { metricFamily, metricsInExpression } from '../../../src/observability/promql-metrics.js';

describe('metricsInExpression', () => {
  it('reads every selected metric, once, including {__name__="..."} selectors', () => {
    const expr =
      'sum(rate(temporal_workflow_failed{job="w"}[5m])) / (sum(rate(temporal_workflow_failed[5m])) + sum(rate(x_bucket[1m]))) > 0 and up == 0 or {__name__="bar"}';
    expect(metricsInExpression(expr)).toEqual({ metrics: ['temporal_workflow_failed', 'x_bucket', 'up', 'bar'], syntaxError: undefined });
  });

  it('does not mistake functions, label names or aggregations for metrics', () => {
    expect(metricsInExpression('histogram_quantile(0.95, sum by (le, job) (rate(a_bucket[5m]))) > vector(0)').metrics).toEqual(['a_bucket']);
  });

  it('reports a syntax error for an unclosed parenthesis', () => {
    expect(metricsInExpression('sum(rate(foo[5m]) > 1').syntaxError).toMatch(/unexpected input/);
  });
});

describe('metricFamily', () => {
  it('strips the histogram series suffixes only', () => {
    expect(metricFamily('a_latency_bucket')).toBe('a_latency');
    expect(metricFamily('a_latency_count')).toBe('a_latency');
    expect(metricFamily('a_total')).toBe('a_total');
  });
});
