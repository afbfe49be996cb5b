import { credentialDiagnosis } from '../failure.js';
import { httpBaseUrl, httpGetJson, httpGetText, httpStatusOf } from '../http-probe.js';
import type { Diagnosis, ProbeReport, StoreContext } from '../operations.js';

export async function probeQdrant(ctx: StoreContext): Promise<ProbeReport> {
  const base = httpBaseUrl(ctx.endpoint);
  const apiKey = ctx.stack.credentials.qdrantApiKey;
  const options = { signal: ctx.signal, headers: apiKey ? { 'api-key': apiKey } : undefined };
  const [readiness, root] = await Promise.all([httpGetText(`${base}/readyz`, options), httpGetJson<{ title?: string; version?: string }>(`${base}/`, options)]);
  // Results that depend on a stand-in say so.
  const standIn = /stand-?in/i.test(root.title ?? '') ? root.title : undefined;
  return { version: root.version, detail: `readyz: ${readiness.trim()}${standIn ? `; ${standIn}` : ''}`, standIn };
}

export function diagnoseQdrant(error: unknown, ctx: StoreContext): Diagnosis | undefined {
  const status = httpStatusOf(error);
  if (status === 401 || status === 403) {
    return credentialDiagnosis(ctx, 'QDRANT_API_KEY', error instanceof Error ? error.message : `HTTP ${status}`);
  }
  return undefined;
}
