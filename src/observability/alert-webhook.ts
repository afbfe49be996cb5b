import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** Alertmanager's webhook payload (version 4), the fields apex reads. */
const notificationSchema = z
  .object({
    receiver: z.string(),
    status: z.enum(['firing', 'resolved']),
    alerts: z.array(
      z
        .object({
          status: z.enum(['firing', 'resolved']),
          labels: z.record(z.string(), z.string()),
          annotations: z.record(z.string(), z.string()).default({}),
          startsAt: z.string(),
          endsAt: z.string(),
        })
        .passthrough(),
    ),
  })
  .passthrough();

export interface ReceivedAlert {
  /** The Alertmanager receiver that sent it: what routing chose. */
  receiver: string;
  /** The URL path it was posted to (one path per receiver in the rendered config). */
  path: string;
  status: 'firing' | 'resolved';
  alertname: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  receivedAt: Date;
}

export interface AlertWebhook {
  /** Base URL, e.g. http://127.0.0.1:40123; receivers post to `${url}/<receiver>`. */
  readonly url: string;
  received(): readonly ReceivedAlert[];
  close(): Promise<void>;
}

/** A small HTTP server standing in for a notification channel, so a phase can see what Alertmanager delivered. */
export async function startAlertWebhook(now: () => Date = () => new Date(), host = '127.0.0.1'): Promise<AlertWebhook> {
  const received: ReceivedAlert[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const parsed = notificationSchema.safeParse(safeJson(Buffer.concat(chunks).toString('utf8')));
      if (request.method !== 'POST' || !parsed.success) {
        response.writeHead(400).end();
        return;
      }
      const receivedAt = now();
      for (const alert of parsed.data.alerts) {
        received.push({
          receiver: parsed.data.receiver,
          path: request.url ?? '/',
          status: alert.status,
          alertname: alert.labels.alertname ?? '',
          labels: alert.labels,
          annotations: alert.annotations,
          receivedAt,
        });
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
