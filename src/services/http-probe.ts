import type { ServiceEndpoint } from './service.js';

/** A non-2xx answer, kept with its status so that a diagnosis can tell 401 from 503. */
export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    body: string,
  ) {
    super(`GET ${url} answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

export const httpBaseUrl = (endpoint: ServiceEndpoint, port = 'http'): string =>
  `${endpoint.tls?.enabled ? 'https' : 'http'}://${endpoint.host}:${endpoint.ports[port]}`;

export interface HttpGetOptions {
  signal: AbortSignal;
  headers?: Record<string, string>;
}

export async function httpGetText(url: string, options: HttpGetOptions): Promise<string> {
  const response = await fetch(url, { signal: options.signal, headers: options.headers });
  const body = await response.text();
  if (!response.ok) throw new HttpStatusError(url, response.status, body);
  return body;
}

export async function httpGetJson<T>(url: string, options: HttpGetOptions): Promise<T> {
  return JSON.parse(await httpGetText(url, options)) as T;
}

/** The HTTP status a client library attached to its error (Qdrant's client only says it in the message). */
export const httpStatusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') return status;
  const match = /^Unexpected Response: (\d{3})\b/.exec(error instanceof Error ? error.message : '');
  return match ? Number(match[1]) : undefined;
};
