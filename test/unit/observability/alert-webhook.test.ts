import { afterEach, describe, expect, it } from 'vitest';
import { startAlertWebhook, type AlertWebhook } from '../../../src/observability/alert-webhook.js';

let webhook: AlertWebhook | undefined;
afterEach(async () => webhook?.close());

describe('startAlertWebhook', () => {
  it('records each alert of an Alertmanager notification with the receiver and path it came to', async () => {
    webhook = await startAlertWebhook(() => new Date(42));
    const body = {
      version: '4',
      receiver: 'apex-oncall',
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: 'WorkerDown', severity: 'critical' }, annotations: { summary: 's' }, startsAt: 'x', endsAt: 'y' }],
    };
    const response = await fetch(`${webhook.url}/apex-oncall`, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    expect(webhook.received()).toEqual([
      {
        receiver: 'apex-oncall',
        path: '/apex-oncall',
        status: 'firing',
        alertname: 'WorkerDown',
        labels: body.alerts[0].labels,
        annotations: { summary: 's' },
        receivedAt: new Date(42),
      },
    ]);
  });

  it('rejects a body that is not a notification and records nothing', async () => {
    webhook = await startAlertWebhook();
    expect((await fetch(`${webhook.url}/x`, { method: 'POST', body: 'nope' })).status).toBe(400);
    expect(webhook.received()).toEqual([]);
  });
});
