import { httpBaseUrl, httpGetJson } from '../http-probe.js';
import type { ProbeReport, StoreContext } from '../operations.js';

export async function probeGrafana(ctx: StoreContext): Promise<ProbeReport> {
  const health = await httpGetJson<{ database?: string; version?: string }>(`${httpBaseUrl(ctx.endpoint)}/api/health`, {
    signal: ctx.signal,
  });
  if (health.database !== 'ok') throw new Error(`/api/health reports database ${health.database ?? 'unknown'}`);
  return { version: health.version, detail: '/api/health: database ok' };
}
