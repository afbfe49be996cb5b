import type { AlertTrace, ResolutionTrace } from '../../observability/alert-delivery.js';
import type { ReceivedAlert } from '../../observability/alert-webhook.js';
import type { CheckOutcome } from '../../observability/metric-checks.js';
import { RULE_EVIDENCE } from '../../observability/rule-checks.js';
import type { Check, FailureEvidence } from '../../results/run-result.js';

const elapsed = (value: number | undefined): string => (value === undefined ? 'never' : `${(value / 1000).toFixed(1)} s`);

/** Checks one traced alert: it fired, reached Alertmanager and the webhook within the budget, at the expected receiver. */
export function deliveryChecks(trace: AlertTrace, budgetMs: number | undefined, expected: readonly string[]): CheckOutcome {
  const within = (value: number | undefined) => value !== undefined && (budgetMs === undefined || value <= budgetMs);
  const limit = budgetMs === undefined ? 'fires' : `≤ ${(budgetMs / 1000).toFixed(1)} s`;
  const checks: Check[] = [
    { name: `${trace.alertname} firing in Prometheus`, expected: limit, actual: elapsed(trace.prometheusMs), passed: within(trace.prometheusMs) },
    { name: `${trace.alertname} active in Alertmanager`, expected: limit, actual: elapsed(trace.alertmanagerMs), passed: within(trace.alertmanagerMs) },
    { name: `${trace.alertname} notification received`, expected: limit, actual: elapsed(trace.notifiedMs), passed: trace.notifiedMs !== undefined },
    {
      name: `${trace.alertname} routed`,
      expected: expected.join(', ') || '(amtool unavailable: any receiver)',
      actual: trace.notifiedReceivers.join(', ') || 'no notification',
      passed: trace.notifiedReceivers.length > 0 && (expected.length === 0 || trace.notifiedReceivers.every((receiver) => expected.includes(receiver))),
    },
  ];
  const found = (summary: string, lines: string[]): FailureEvidence[] => [
    { source: 'verification', summary: `${summary}: ${trace.alertname}`, lines: [...lines, ...trace.readErrors], workflows: 0 },
  ];
  let evidence: FailureEvidence[] = [];
  if (trace.prometheusMs === undefined) evidence = found(RULE_EVIDENCE.neverFired, [`Prometheus never reported ${trace.alertname} firing`]);
  else if (trace.notifiedMs === undefined)
    evidence = found(RULE_EVIDENCE.notDelivered, [
      `firing after ${elapsed(trace.prometheusMs)}, in Alertmanager: ${elapsed(trace.alertmanagerMs)}, no webhook notification`,
    ]);
  else if (!checks[3].passed)
    evidence = found(RULE_EVIDENCE.routing, [`received by ${trace.notifiedReceivers.join(', ')}; routing tree says ${expected.join(', ')}`]);
  else if (!checks[0].passed || !checks[1].passed) {
    evidence = [
      {
        source: 'verification',
        summary: `${RULE_EVIDENCE.notDelivered}: ${trace.alertname} too late`,
        lines: [`${trace.alertname}: expected ${limit}, Prometheus ${elapsed(trace.prometheusMs)}, Alertmanager ${elapsed(trace.alertmanagerMs)}`],
        workflows: 0,
      },
    ];
  }
  return { checks, evidence };
}

/** How an alert was provoked and relieved, in the words of its checks and evidence. */
export interface ResolutionEpisode {
  /** "before the restart": when it must have been firing. */
  before: string;
  /** "after the worker was killed". */
  provoked: string;
  /** "after the worker restarted". */
  relieved: string;
}

const WORKER_RESTART: ResolutionEpisode = { before: 'before the restart', provoked: 'after the worker was killed', relieved: 'after the worker restarted' };

/**
 * Checks that an alert that was firing went quiet: Prometheus stopped firing it and a "resolved" notification
 * arrived within the timeout. An alert that never fired cannot resolve, so that is checked first.
 */
export function resolutionChecks(
  fired: AlertTrace,
  trace: ResolutionTrace,
  timeoutSeconds: number,
  received: readonly ReceivedAlert[],
  episode: ResolutionEpisode = WORKER_RESTART,
): CheckOutcome {
  const { alertname } = trace;
  const checks: Check[] = [
    {
      name: `${alertname} firing ${episode.before}`,
      expected: 'fired',
      actual: fired.prometheusMs === undefined ? 'never fired' : `fired after ${elapsed(fired.prometheusMs)}`,
      passed: fired.prometheusMs !== undefined,
    },
    {
      name: `${alertname} no longer firing`,
      expected: `≤ ${timeoutSeconds} s`,
      actual: trace.prometheusMs === undefined ? 'still firing' : elapsed(trace.prometheusMs),
      passed: trace.prometheusMs !== undefined,
    },
    {
      name: `${alertname} resolved notification`,
      expected: `≤ ${timeoutSeconds} s`,
      actual: trace.notifiedMs === undefined ? 'none' : `${elapsed(trace.notifiedMs)} at ${trace.notifiedReceivers.join(', ')}`,
      passed: trace.notifiedMs !== undefined,
    },
  ];
  if (fired.prometheusMs === undefined) {
    return {
      checks,
      evidence: [
        {
          source: 'verification',
          summary: `${RULE_EVIDENCE.neverFired}: ${alertname}`,
          lines: [`Prometheus never reported ${alertname} firing ${episode.provoked}`, ...fired.readErrors],
          workflows: 0,
        },
      ],
    };
  }
  if (trace.notifiedMs !== undefined) return { checks, evidence: [] };
  const lines = [
    trace.prometheusMs === undefined
      ? `Prometheus still reports it firing ${episode.relieved}`
      : 'Prometheus stopped firing it, but no resolved notification reached the webhook (send_resolved?)',
    ...received
      .filter((alert) => alert.alertname === alertname)
      .map((alert) => `notification at ${alert.receivedAt.toISOString()}: ${alert.status} via ${alert.receiver}`),
    ...trace.readErrors,
  ];
  return { checks, evidence: [{ source: 'verification', summary: `${RULE_EVIDENCE.notResolved}: ${alertname}`, lines, workflows: 0 }] };
}
