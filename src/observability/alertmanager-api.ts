import { z } from 'zod';
import { answersOk } from './prometheus-api.js';

const alertmanagerAlertSchema = z
  .object({
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()).default({}),
    startsAt: z.string(),
    endsAt: z.string(),
    fingerprint: z.string(),
    receivers: z.array(z.object({ name: z.string() })),
    status: z.object({ state: z.enum(['unprocessed', 'active', 'suppressed']) }).passthrough(),
  })
  .passthrough();
export type AlertmanagerAlert = z.infer<typeof alertmanagerAlertSchema>;

export interface AlertmanagerApi {
  readonly baseUrl: string;
  ready(): Promise<boolean>;
  /** Alerts Alertmanager holds now, with the receivers its routing tree chose. */
  alerts(): Promise<AlertmanagerAlert[]>;
}

export function createAlertmanagerApi(baseUrl: string, fetchImpl: typeof fetch = fetch): AlertmanagerApi {
  const base = baseUrl.replace(/\/$/, '');
  return {
    baseUrl: base,
    ready: () => answersOk(`${base}/-/ready`, fetchImpl),
    alerts: async () => {
      const response = await fetchImpl(`${base}/api/v2/alerts`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`${base}/api/v2/alerts answered HTTP ${response.status}`);
      return z.array(alertmanagerAlertSchema).parse(await response.json());
    },
  };
}
