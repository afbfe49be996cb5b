import { z } from 'zod';
import type { DashboardFile, PanelQuery } from './dashboard-queries.js';
import type { CheckOutcome } from './metric-checks.js';
import { answersOk } from './prometheus-api.js';

export interface GrafanaTarget {
  baseUrl: string;
  user: string;
  password: string;
}

export interface GrafanaApi {
  readonly baseUrl: string;
  reachable(): Promise<boolean>;
  /** The provisioned dashboard, or undefined when Grafana does not have it. */
  dashboard(uid: string): Promise<{ title: string; panels: string[] } | undefined>;
  /** Grafana's own health check of a datasource: "OK" or its error message. */
  datasourceHealth(uid: string): Promise<string>;
  /** Runs a query through Grafana's datasource proxy (/api/ds/query); undefined when it evaluates, else Grafana's error. */
  queryError(datasourceUid: string, expr: string): Promise<string | undefined>;
}

const panelsSchema: z.ZodType<{ title?: string; panels?: unknown[] }[]> = z.array(
  z.object({ title: z.string().optional(), panels: z.array(z.unknown()).optional() }).passthrough(),
);

export function grafanaFor(target: GrafanaTarget, fetchImpl: typeof fetch = fetch): GrafanaApi {
  const base = target.baseUrl.replace(/\/$/, '');
  const headers = { authorization: `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}` };
  const get = (path: string) => fetchImpl(`${base}${path}`, { headers, signal: AbortSignal.timeout(5_000) });
  return {
    baseUrl: base,
    reachable: () => answersOk(`${base}/api/health`, fetchImpl),
    dashboard: async (uid) => {
      const response = await get(`/api/dashboards/uid/${encodeURIComponent(uid)}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`Grafana answered HTTP ${response.status} for dashboard ${uid}`);
      const body = z.object({ dashboard: z.object({ title: z.string(), panels: panelsSchema.default([]) }) }).parse(await response.json());
      const titles = (panels: { title?: string; panels?: unknown[] }[]): string[] =>
        panels.flatMap((panel) => [panel.title ?? '', ...titles(panelsSchema.parse(panel.panels ?? []))]);
      return { title: body.dashboard.title, panels: titles(body.dashboard.panels).filter(Boolean) };
    },
    datasourceHealth: async (uid) => {
      const response = await get(`/api/datasources/uid/${encodeURIComponent(uid)}/health`);
      const body = z
        .object({ status: z.string().optional(), message: z.string().optional() })
        .passthrough()
        .parse(await response.json().catch(() => ({})));
      return response.ok && body.status === 'OK' ? 'OK' : `${body.status ?? `HTTP ${response.status}`}: ${body.message ?? ''}`.trim();
    },
    queryError: async (datasourceUid, expr) => {
      const response = await fetchImpl(`${base}/api/ds/query`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          from: 'now-15m',
          to: 'now',
          queries: [{ refId: 'A', datasource: { type: 'prometheus', uid: datasourceUid }, expr, instant: true }],
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = z
        .object({ results: z.record(z.string(), z.object({ error: z.string().optional() }).passthrough()).optional(), message: z.string().optional() })
        .passthrough()
        .parse(await response.json().catch(() => ({})));
      const error = body.results?.A?.error ?? (response.ok ? undefined : (body.message ?? `HTTP ${response.status}`));
      return error;
    },
  };
}

/**
 * Every template dashboard is in Grafana with the same panels, every datasource it uses is healthy, and every panel
 * query evaluates through Grafana itself (its data is checked against Prometheus by the dashboard test).
 */
export async function checkGrafanaProvisioning(
  grafana: GrafanaApi,
  dashboards: readonly DashboardFile[],
  queries: readonly PanelQuery[] = [],
): Promise<CheckOutcome> {
  const outcome: CheckOutcome = { checks: [], evidence: [] };
  const datasources = new Set<string>();
  for (const file of dashboards) {
    const template = z.object({ uid: z.string(), title: z.string() }).passthrough().parse(file.json);
    for (const match of JSON.stringify(file.json).matchAll(/"datasource":\{"type":"prometheus","uid":"([^"]+)"\}/g)) datasources.add(match[1]);
    const found = await grafana.dashboard(template.uid);
    const expectedPanels = JSON.stringify(file.json).match(/"type":"timeseries"|"type":"stat"|"type":"gauge"|"type":"table"/g)?.length ?? 0;
    outcome.checks.push({
      name: `dashboard ${template.uid} provisioned`,
      expected: `"${template.title}" with ${expectedPanels} panels`,
      actual: found ? `"${found.title}" with ${found.panels.length} panels` : 'not found',
      passed: found !== undefined && found.panels.length === expectedPanels,
    });
    if (!found)
      outcome.evidence.push({
        source: 'verification',
        summary: `Dashboard not provisioned: ${template.uid}`,
        lines: [`${grafana.baseUrl}/api/dashboards/uid/${template.uid} → 404`, `from ${file.file}`],
        workflows: 0,
      });
  }
  for (const uid of datasources) {
    const health = await grafana.datasourceHealth(uid);
    outcome.checks.push({ name: `datasource ${uid} healthy`, expected: 'OK', actual: health, passed: health === 'OK' });
    if (health !== 'OK')
      outcome.evidence.push({ source: 'verification', summary: `Scrape target down: Grafana datasource ${uid}`, lines: [health], workflows: 0 });
  }
  const [datasource] = datasources;
  for (const query of datasource ? queries : []) {
    const name = `Grafana evaluates ${query.dashboardTitle} / ${query.panel} / ${query.refId}`;
    const error = await grafana.queryError(datasource, query.resolved);
    outcome.checks.push({ name, expected: 'no error', actual: error ?? 'no error', passed: error === undefined });
    if (error)
      outcome.evidence.push({
        source: 'verification',
        summary: `Dashboard query error: ${query.panel} (through Grafana)`,
        lines: [query.resolved, error],
        workflows: 0,
      });
  }
  return outcome;
}
