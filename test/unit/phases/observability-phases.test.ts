import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { DEFAULT_REQUIRED_METRICS, METRIC_CATALOGUE } from '../../../src/observability/metric-catalogue.js';
import { phase2eThresholds, scrapesSettleMs } from '../../../src/phases/phase-2e.js';
import { phase2f } from '../../../src/phases/phase-2f.js';
import { phase2fThresholds } from '../../../src/phases/phase-2f/settings.js';
import { listPhases } from '../../../src/phases/registry.js';
import { parseThresholds } from '../../../src/phases/thresholds.js';

const config = (phases: Record<string, Record<string, unknown>>) => configSchema.parse({ phases });

describe('phase 2e settings', () => {
  it('require the 27 catalogue metrics by default, from both the server and the worker', () => {
    const settings = parseThresholds(config({}), '2e', phase2eThresholds);
    expect(settings.requiredMetrics).toEqual(DEFAULT_REQUIRED_METRICS);
    expect(settings.requiredMetrics).toHaveLength(27);
    expect(new Set(METRIC_CATALOGUE.map((metric) => metric.source))).toEqual(new Set(['temporal', 'worker']));
  });

  it('name the exact key of a metric name Prometheus would not accept', () => {
    expect(() => parseThresholds(config({ '2e': { requiredMetrics: ['temporal request'] } }), '2e', phase2eThresholds)).toThrow(
      /phases\.2e\.requiredMetrics\.0.*Prometheus metric name/,
    );
  });

  it('wait two scrape intervals after the load, whatever unit the interval is written in', () => {
    const settle = (scrapeInterval: string) => scrapesSettleMs(parseThresholds(config({ '2e': { scrapeInterval } }), '2e', phase2eThresholds));
    expect(settle('500ms')).toBe(1_000);
    expect(settle('1s')).toBe(2_000);
    expect(settle('1m')).toBe(120_000);
  });

  it('reject a scrape interval Prometheus would not read', () => {
    expect(() => parseThresholds(config({ '2e': { scrapeInterval: '1.5s' } }), '2e', phase2eThresholds)).toThrow(/phases\.2e\.scrapeInterval/);
    expect(() => parseThresholds(config({ '2e': { scrapeInterval: '1h' } }), '2e', phase2eThresholds)).toThrow(/phases\.2e\.scrapeInterval/);
  });
});

describe('phase 2f settings', () => {
  it('render the live rules with a short for: and check delivery within it', () => {
    expect(parseThresholds(config({}), '2f', phase2fThresholds)).toMatchObject({
      testFor: '5s',
      interval: '1s',
      deliverySlackSeconds: 5,
      defaultReceiver: 'apex-default',
    });
    expect(() => parseThresholds(config({ '2f': { testFor: 'five seconds' } }), '2f', phase2fThresholds)).toThrow(/phases\.2f\.testFor/);
  });
});

describe('registry', () => {
  it('lists 2e and 2f after 2c and 2d, with their tests', () => {
    const listed = listPhases({ label: 'reference' });
    expect(listed.map((phase) => phase.id)).toEqual(['2c', '2d', '2e', '2f']);
    expect(listed[2].tests.map((test) => test.name)).toEqual([
      'test_metrics_under_load',
      'test_prometheus_targets_up',
      'test_required_metrics_exposed',
      'test_required_metrics_scraped',
      'test_worker_metrics_catalogued',
      'test_dashboard_queries_return_data',
      'test_alert_rules_select_existing_metrics',
      'test_grafana_dashboard_provisioned',
    ]);
    expect(listed[3].tests.map((test) => test.name)).toEqual([
      'test_rules_promtool_check',
      'test_rules_unit_tests',
      'test_rules_annotations',
      'test_rules_metrics_served',
      'test_alertmanager_routing_config',
      'test_worker_down_alert_fires',
      'test_worker_down_alert_resolves',
      'test_failure_rate_alert_fires',
      'test_alerts_routed_to_expected_receivers',
      'test_project_alerts_fire_and_resolve',
    ]);
    expect(phase2f.services).toContain('temporal');
  });
});
