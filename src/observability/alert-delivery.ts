import { errorMessage } from '../errors.js';
import { pollUntil, type Clock } from '../runtime/poll.js';
import type { AlertmanagerApi } from './alertmanager-api.js';
import type { AlertWebhook } from './alert-webhook.js';
import type { PrometheusApi } from './prometheus-api.js';

export interface AlertPath {
  prometheus: PrometheusApi;
  alertmanager: AlertmanagerApi;
  webhook: AlertWebhook;
  clock: Clock;
}

/** When each hop first saw the alert, in ms after `since`; undefined where it never did. */
export interface AlertTrace {
  alertname: string;
  prometheusMs?: number;
  alertmanagerMs?: number;
  notifiedMs?: number;
  /** Receivers Alertmanager's API lists for it. */
  alertmanagerReceivers: string[];
  /** Receivers whose webhook got the notification. */
  notifiedReceivers: string[];
  /** Why a hop could not be read while tracing ("Prometheus: fetch failed"), each reason once. */
  readErrors: string[];
}

interface WaitOptions {
  /** Clock time (ms) the cause was applied: the worker stopped, the failures started. */
  since: number;
  timeoutMs: number;
  intervalMs?: number;
}

/** Follows one alert from Prometheus (firing) to Alertmanager (active) to a webhook notification (firing). */
export async function traceAlertFiring(path: AlertPath, alertname: string, options: WaitOptions): Promise<AlertTrace> {
  const trace: AlertTrace = { alertname, alertmanagerReceivers: [], notifiedReceivers: [], readErrors: [] };
  const elapsed = () => path.clock.now() - options.since;
  await pollUntil(
    async () => {
      if (trace.prometheusMs === undefined) {
        const alerts = await path.prometheus.alerts().catch(unread(trace, 'Prometheus alerts API', []));
        if (alerts.some((alert) => alert.labels.alertname === alertname && alert.state === 'firing')) trace.prometheusMs = elapsed();
      }
      if (trace.alertmanagerMs === undefined) {
        const active = (await path.alertmanager.alerts().catch(unread(trace, 'Alertmanager alerts API', []))).filter(
          (alert) => alert.labels.alertname === alertname && alert.status.state !== 'unprocessed',
        );
        if (active.length > 0) {
          trace.alertmanagerMs = elapsed();
          trace.alertmanagerReceivers = [...new Set(active.flatMap((alert) => alert.receivers.map((receiver) => receiver.name)))];
        }
      }
      const notified = path.webhook
        .received()
        .filter((alert) => alert.alertname === alertname && alert.status === 'firing' && alert.receivedAt.getTime() >= options.since);
      if (notified.length > 0 && trace.notifiedMs === undefined) {
        trace.notifiedMs = Math.max(0, notified[0].receivedAt.getTime() - options.since);
        trace.notifiedReceivers = [...new Set(notified.map((alert) => alert.receiver))];
      }
      return trace.notifiedMs !== undefined && trace.alertmanagerMs !== undefined && trace.prometheusMs !== undefined ? true : undefined;
    },
    { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs ?? 250, clock: path.clock },
  );
  return trace;
}

export interface ResolutionTrace {
  alertname: string;
  /** Prometheus no longer lists it as firing. */
  prometheusMs?: number;
  /** A "resolved" notification reached a webhook. */
  notifiedMs?: number;
  notifiedReceivers: string[];
  readErrors: string[];
}

/** Records why a hop could not be read, so a trace that saw nothing says whether it could look at all. */
const unread =
  <T>(trace: { readErrors: string[] }, hop: string, fallback: T) =>
  (error: unknown): T => {
    const reason = `${hop}: ${errorMessage(error)}`;
    if (!trace.readErrors.includes(reason) && trace.readErrors.length < 5) trace.readErrors.push(reason);
    return fallback;
  };

/** Follows one alert back to quiet: Prometheus stops firing it and a "resolved" notification arrives. */
export async function traceAlertResolution(path: AlertPath, alertname: string, options: WaitOptions): Promise<ResolutionTrace> {
  const trace: ResolutionTrace = { alertname, notifiedReceivers: [], readErrors: [] };
  const elapsed = () => path.clock.now() - options.since;
  await pollUntil(
    async () => {
      if (trace.prometheusMs === undefined) {
        const alerts = await path.prometheus.alerts().catch(unread(trace, 'Prometheus alerts API', undefined));
        if (alerts && !alerts.some((alert) => alert.labels.alertname === alertname && alert.state === 'firing')) trace.prometheusMs = elapsed();
      }
      const resolved = path.webhook
        .received()
        .filter((alert) => alert.alertname === alertname && alert.status === 'resolved' && alert.receivedAt.getTime() >= options.since);
      if (resolved.length > 0 && trace.notifiedMs === undefined) {
        trace.notifiedMs = Math.max(0, resolved[0].receivedAt.getTime() - options.since);
        trace.notifiedReceivers = [...new Set(resolved.map((alert) => alert.receiver))];
      }
      return trace.prometheusMs !== undefined && trace.notifiedMs !== undefined ? true : undefined;
    },
    { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs ?? 250, clock: path.clock },
  );
  return trace;
}
