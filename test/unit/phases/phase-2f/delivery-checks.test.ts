import { describe, expect, it } from 'vitest';
import type { AlertTrace, ResolutionTrace } from '../../../../src/observability/alert-delivery.js';
import { deliveryChecks, resolutionChecks } from '../../../../src/phases/phase-2f/delivery-checks.js';

const fired: AlertTrace = {
  alertname: 'WorkerDown',
  prometheusMs: 6_000,
  alertmanagerMs: 6_500,
  notifiedMs: 7_000,
  alertmanagerReceivers: ['apex-oncall'],
  notifiedReceivers: ['apex-oncall'],
  readErrors: [],
};
const silent: AlertTrace = { alertname: 'WorkerDown', alertmanagerReceivers: [], notifiedReceivers: [], readErrors: ['Prometheus alerts API: fetch failed'] };
const resolved: ResolutionTrace = { alertname: 'WorkerDown', prometheusMs: 2_000, notifiedMs: 3_000, notifiedReceivers: ['apex-oncall'], readErrors: [] };

describe('delivery checks', () => {
  it('pass when every hop saw the alert within the budget at the expected receiver', () => {
    const outcome = deliveryChecks(fired, 11_000, ['apex-oncall']);
    expect(outcome.checks.map((check) => [check.name, check.actual, check.passed])).toEqual([
      ['WorkerDown firing in Prometheus', '6.0 s', true],
      ['WorkerDown active in Alertmanager', '6.5 s', true],
      ['WorkerDown notification received', '7.0 s', true],
      ['WorkerDown routed', 'apex-oncall', true],
    ]);
    expect(outcome.evidence).toEqual([]);
  });

  it('an alert never seen firing carries why Prometheus could not be read', () => {
    const { evidence } = deliveryChecks(silent, 11_000, ['apex-oncall']);
    expect(evidence).toEqual([
      {
        source: 'verification',
        summary: 'Alert never fired: WorkerDown',
        lines: ['Prometheus never reported WorkerDown firing', 'Prometheus alerts API: fetch failed'],
        workflows: 0,
      },
    ]);
  });
});

describe('resolution checks', () => {
  it('pass when the alert that fired went quiet and its resolved notification arrived', () => {
    const outcome = resolutionChecks(fired, resolved, 45, []);
    expect(outcome.checks.every((check) => check.passed)).toBe(true);
    expect(outcome.checks[0]).toEqual({ name: 'WorkerDown firing before the restart', expected: 'fired', actual: 'fired after 6.0 s', passed: true });
  });

  it('an alert that never fired cannot pass for resolved, even though Prometheus does not list it', () => {
    const outcome = resolutionChecks(silent, { ...resolved, notifiedMs: undefined, notifiedReceivers: [] }, 45, []);
    expect(outcome.checks.filter((check) => !check.passed).map((check) => check.name)).toEqual([
      'WorkerDown firing before the restart',
      'WorkerDown resolved notification',
    ]);
    expect(outcome.evidence[0]).toMatchObject({
      summary: 'Alert never fired: WorkerDown',
      lines: ['Prometheus never reported WorkerDown firing after the worker was killed', 'Prometheus alerts API: fetch failed'],
    });
  });
});
