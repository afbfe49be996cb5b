import type { AlertmanagerAlert, AlertmanagerApi } from '../../../src/observability/alertmanager-api.js';
import type { PrometheusAlert, PrometheusApi, QueryData, ScrapeTarget } from '../../../src/observability/prometheus-api.js';
import type { Clock } from '../../../src/runtime/poll.js';

/** A clock whose sleep advances time at once. */
export function fakeClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: async (ms) => void (now += ms), advance: (ms) => void (now += ms) };
}

export function fakePrometheus(overrides: Partial<PrometheusApi> = {}): PrometheusApi {
  return {
    baseUrl: 'http://prometheus.test',
    ready: async () => true,
    query: async (): Promise<QueryData> => ({ resultType: 'vector', result: [] }),
    targets: async (): Promise<ScrapeTarget[]> => [],
    metricNames: async () => [],
    alerts: async (): Promise<PrometheusAlert[]> => [],
    rules: async () => [],
    ...overrides,
  };
}

export function fakeAlertmanager(alerts: () => AlertmanagerAlert[]): AlertmanagerApi {
  return { baseUrl: 'http://alertmanager.test', ready: async () => true, alerts: async () => alerts() };
}

export const vector = (...values: string[]): QueryData => ({
  resultType: 'vector',
  result: values.map((value, index) => ({ metric: { i: String(index) }, value: [0, value] })),
});
