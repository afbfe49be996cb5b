import { httpBaseUrl, httpGetJson, httpGetText } from '../http-probe.js';
import type { ProbeReport, StoreContext } from '../operations.js';

export async function probePrometheus(ctx: StoreContext): Promise<ProbeReport> {
  const base = httpBaseUrl(ctx.endpoint);
  const [ready, build] = await Promise.all([
    httpGetText(`${base}/-/ready`, { signal: ctx.signal }),
    httpGetJson<{ data?: { version?: string } }>(`${base}/api/v1/status/buildinfo`, { signal: ctx.signal }),
  ]);
  return { version: build.data?.version, detail: `/-/ready: ${ready.trim()}` };
}
