import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../../src/config/stack-context.js';
import { panelQueries, readDashboards } from '../../../src/observability/dashboard-queries.js';
import { checkGrafanaProvisioning, grafanaFor } from '../../../src/observability/grafana-api.js';

const dashboards = readDashboards(join(TEMPLATES_DIR, 'grafana', 'dashboards'));
const queries = dashboards.flatMap((dashboard) => panelQueries(dashboard.json, { rateInterval: '1m', interval: '15s' }));
const template = dashboards[0].json as { uid: string; title: string; panels: { title: string }[] };

/** Answers like Grafana 12's HTTP API, from what a test says Grafana holds. */
function fakeGrafana(state: { dashboard?: boolean; datasource?: 'OK' | 'ERROR'; badQuery?: string }): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    // /api/health is public; everything else needs the admin's basic auth.
    if (url.pathname === '/api/health') return json(200, { database: 'ok' });
    if (new Headers(init?.headers).get('authorization') !== `Basic ${Buffer.from('admin:pw').toString('base64')}`)
      return json(401, { message: 'Unauthorized' });
    if (url.pathname === `/api/dashboards/uid/${template.uid}`)
      return state.dashboard ? json(200, { dashboard: { title: template.title, panels: template.panels } }) : json(404, { message: 'Dashboard not found' });
    if (url.pathname === '/api/datasources/uid/apex-prometheus/health')
      return state.datasource === 'OK'
        ? json(200, { status: 'OK', message: 'Successfully queried the Prometheus API.' })
        : json(400, { status: 'ERROR', message: 'Post "http://prometheus:9090/api/v1/query": dial tcp: lookup prometheus: no such host' });
    if (url.pathname === '/api/ds/query') {
      const body = JSON.parse(String(init?.body)) as { queries: { expr: string }[] };
      return body.queries[0].expr === state.badQuery
        ? json(400, { results: { A: { error: 'bad_data: parse error', status: 400 } } })
        : json(200, { results: { A: { status: 200, frames: [] } } });
    }
    return json(404, { message: 'not found' });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

describe('checkGrafanaProvisioning', () => {
  it('passes when the dashboard, its datasource and every panel query are fine in Grafana', async () => {
    const fake = fakeGrafana({ dashboard: true, datasource: 'OK' });
    const grafana = grafanaFor({ baseUrl: 'http://grafana.test', user: 'admin', password: 'pw' }, fake.fetch);
    expect(await grafana.reachable()).toBe(true);
    const { checks, evidence } = await checkGrafanaProvisioning(grafana, dashboards, queries);
    expect(checks.filter((check) => !check.passed)).toEqual([]);
    expect(checks).toHaveLength(2 + queries.length);
    expect(evidence).toEqual([]);
  });

  it('reports a missing dashboard, an unhealthy datasource and a query Grafana rejects', async () => {
    const fake = fakeGrafana({ dashboard: false, datasource: 'ERROR', badQuery: queries[0].resolved });
    const grafana = grafanaFor({ baseUrl: 'http://grafana.test', user: 'admin', password: 'pw' }, fake.fetch);
    const { checks, evidence } = await checkGrafanaProvisioning(grafana, dashboards, queries);
    expect(checks.filter((check) => !check.passed).map((check) => check.actual)).toEqual([
      'not found',
      'ERROR: Post "http://prometheus:9090/api/v1/query": dial tcp: lookup prometheus: no such host',
      'bad_data: parse error',
    ]);
    expect(evidence.map((item) => item.summary)).toEqual([
      `Dashboard not provisioned: ${template.uid}`,
      'Scrape target down: Grafana datasource apex-prometheus',
      `Dashboard query error: ${queries[0].panel} (through Grafana)`,
    ]);
  });
});
