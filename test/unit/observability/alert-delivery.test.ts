import { describe, expect, it } from 'vitest';
import type { AlertmanagerAlert } from '../../../src/observability/alertmanager-api.js';
import { traceAlertFiring, traceAlertResolution } from '../../../src/observability/alert-delivery.js';
import type { AlertWebhook, ReceivedAlert } from '../../../src/observability/alert-webhook.js';
import type { PrometheusAlert } from '../../../src/observability/prometheus-api.js';
import { fakeAlertmanager, fakeClock, fakePrometheus } from './fakes.js';

function scenario() {
  const clock = fakeClock();
  const since = clock.now();
  const at = (ms: number) => clock.now() - since >= ms;
  const scheduled: ReceivedAlert[] = [];
  // A notification "arrives" once the clock has reached its time, as a real one would.
  const webhook: AlertWebhook = {
    url: 'http://hook',
    received: () => scheduled.filter((alert) => alert.receivedAt.getTime() <= clock.now()),
    close: async () => undefined,
  };
  const notify = (status: 'firing' | 'resolved', receiver: string, afterMs = clock.now() - since) =>
    scheduled.push({
      receiver,
      path: `/${receiver}`,
      status,
      alertname: 'WorkerDown',
      labels: { alertname: 'WorkerDown' },
      annotations: {},
      receivedAt: new Date(since + afterMs),
    });
  return { clock, since, at, webhook, notify };
}

const firing: PrometheusAlert = { labels: { alertname: 'WorkerDown' }, annotations: {}, state: 'firing' };
const amAlert: AlertmanagerAlert = {
  labels: { alertname: 'WorkerDown' },
  annotations: {},
  startsAt: '',
  endsAt: '',
  fingerprint: 'f',
  receivers: [{ name: 'apex-oncall' }],
  status: { state: 'active' },
};

describe('traceAlertFiring', () => {
  it('times each hop from the cause: Prometheus, then Alertmanager, then the webhook', async () => {
    const { clock, since, at, webhook, notify } = scenario();
    notify('firing', 'apex-oncall', 7_000);
    const prometheus = fakePrometheus({ alerts: async () => (at(6_000) ? [firing] : []) });
    const alertmanager = fakeAlertmanager(() => (at(6_500) ? [amAlert] : []));
    const trace = await traceAlertFiring({ prometheus, alertmanager, webhook, clock }, 'WorkerDown', { since, timeoutMs: 30_000, intervalMs: 500 });
    expect(trace).toEqual({
      alertname: 'WorkerDown',
      prometheusMs: 6_000,
      alertmanagerMs: 6_500,
      notifiedMs: 7_000,
      alertmanagerReceivers: ['apex-oncall'],
      notifiedReceivers: ['apex-oncall'],
      readErrors: [],
    });
  });

  it('returns the hops it never reached as undefined at the timeout', async () => {
    const { clock, since, webhook } = scenario();
    const trace = await traceAlertFiring({ prometheus: fakePrometheus(), alertmanager: fakeAlertmanager(() => []), webhook, clock }, 'WorkerDown', {
      since,
      timeoutMs: 10_000,
      intervalMs: 1_000,
    });
    expect(trace.prometheusMs).toBeUndefined();
    expect(trace.notifiedMs).toBeUndefined();
    expect(clock.now() - since).toBe(10_000);
  });

  it('keeps why a hop could not be read, once per reason, so "never fired" is not mistaken for "Prometheus was down"', async () => {
    const { clock, since, webhook } = scenario();
    const prometheus = fakePrometheus({ alerts: async () => Promise.reject(new TypeError('fetch failed')) });
    const alertmanager = fakeAlertmanager(() => {
      throw new Error('HTTP 503 from http://127.0.0.1:9093/api/v2/alerts');
    });
    const trace = await traceAlertFiring({ prometheus, alertmanager, webhook, clock }, 'WorkerDown', { since, timeoutMs: 3_000, intervalMs: 1_000 });
    expect(trace.prometheusMs).toBeUndefined();
    expect(trace.readErrors).toEqual(['Prometheus alerts API: fetch failed', 'Alertmanager alerts API: HTTP 503 from http://127.0.0.1:9093/api/v2/alerts']);
  });

  it('ignores notifications from before the cause', async () => {
    const { clock, since, webhook, notify } = scenario();
    notify('firing', 'apex-oncall', -1);
    const trace = await traceAlertFiring({ prometheus: fakePrometheus(), alertmanager: fakeAlertmanager(() => []), webhook, clock }, 'WorkerDown', {
      since,
      timeoutMs: 2_000,
      intervalMs: 1_000,
    });
    expect(trace.notifiedMs).toBeUndefined();
  });
});

describe('traceAlertResolution', () => {
  it('waits for Prometheus to stop firing and a resolved notification', async () => {
    const { clock, since, at, webhook, notify } = scenario();
    notify('resolved', 'apex-oncall', 4_000);
    const prometheus = fakePrometheus({ alerts: async () => (at(3_000) ? [] : [firing]) });
    const trace = await traceAlertResolution({ prometheus, alertmanager: fakeAlertmanager(() => []), webhook, clock }, 'WorkerDown', {
      since,
      timeoutMs: 30_000,
      intervalMs: 1_000,
    });
    expect(trace).toEqual({ alertname: 'WorkerDown', prometheusMs: 3_000, notifiedMs: 4_000, notifiedReceivers: ['apex-oncall'], readErrors: [] });
  });
});
