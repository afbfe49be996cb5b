import { httpBaseUrl, httpGetJson, httpGetText } from '../http-probe.js';
import type { ProbeReport, StoreContext } from '../operations.js';

export async function probeAlertmanager(ctx: StoreContext): Promise<ProbeReport> {
  const base = httpBaseUrl(ctx.endpoint);
  const [ready, status] = await Promise.all([
    httpGetText(`${base}/-/ready`, { signal: ctx.signal }),
    httpGetJson<{ versionInfo?: { version?: string }; cluster?: { status?: string } }>(`${base}/api/v2/status`, {
      signal: ctx.signal,
    }),
  ]);
  return { version: status.versionInfo?.version, detail: `/-/ready: ${ready.trim() || 'OK'}` };
}
