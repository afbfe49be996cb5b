import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const targetSchema = z.object({ refId: z.string().optional(), expr: z.string().optional(), hide: z.boolean().optional() });
interface PanelShape {
  title?: string;
  targets?: z.infer<typeof targetSchema>[];
  panels?: PanelShape[];
}
const panelSchema: z.ZodType<PanelShape> = z.lazy(() =>
  z.object({ title: z.string().optional(), targets: z.array(targetSchema).optional(), panels: z.array(panelSchema).optional() }).passthrough(),
);
const dashboardSchema = z
  .object({
    uid: z.string(),
    title: z.string(),
    panels: z.array(panelSchema).default([]),
    templating: z
      .object({
        list: z
          .array(
            z
              .object({
                name: z.string(),
                current: z
                  .object({ value: z.union([z.string(), z.array(z.string())]) })
                  .partial()
                  .optional(),
                query: z.unknown(),
              })
              .passthrough(),
          )
          .default([]),
      })
      .default({}),
  })
  .passthrough();

export interface PanelQuery {
  dashboardUid: string;
  dashboardTitle: string;
  panel: string;
  refId: string;
  /** As written in the dashboard, with Grafana variables. */
  expr: string;
  /** Dashboard variables set to their current values: a query Prometheus can run. */
  resolved: string;
}

export interface GrafanaVariables {
  /** $__rate_interval; Grafana uses at least four scrape intervals. */
  rateInterval: string;
  /** $__interval / $__range and other built-ins. */
  interval: string;
  /** Dashboard variables set to other values than their current ones, e.g. a phase's own task queue. */
  values?: Readonly<Record<string, string>>;
}

/** The Prometheus queries of every panel of a dashboard, rows included, hidden targets excluded. */
export function panelQueries(dashboardJson: unknown, builtins: GrafanaVariables): PanelQuery[] {
  const dashboard = dashboardSchema.parse(dashboardJson);
  const variables = new Map<string, string>([
    ['__rate_interval', builtins.rateInterval],
    ['__interval', builtins.interval],
    ['__range', builtins.rateInterval],
  ]);
  for (const variable of dashboard.templating.list) {
    const current = variable.current?.value;
    const value = Array.isArray(current) ? current[0] : (current ?? (typeof variable.query === 'string' ? variable.query : ''));
    variables.set(variable.name, builtins.values?.[variable.name] ?? value ?? '');
  }
  const flatten = (panels: PanelShape[]): PanelShape[] => panels.flatMap((panel) => [panel, ...flatten(panel.panels ?? [])]);
  return flatten(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target): target is typeof target & { expr: string } => !target.hide && typeof target.expr === 'string' && target.expr.trim() !== '')
      .map((target) => ({
        dashboardUid: dashboard.uid,
        dashboardTitle: dashboard.title,
        panel: panel.title ?? '(untitled)',
        refId: target.refId ?? 'A',
        expr: target.expr,
        resolved: substituteVariables(target.expr, variables),
      })),
  );
}

/** Replaces $name, ${name} and [[name]] the way Grafana does; unknown variables are left for the query to reject. */
export function substituteVariables(expr: string, variables: ReadonlyMap<string, string>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, braced?: string, bare?: string, bracketed?: string) => {
    const name = braced ?? bare ?? bracketed ?? '';
    return variables.get(name) ?? whole;
  });
}

export interface DashboardFile {
  file: string;
  json: unknown;
}

/** The dashboard JSON files under templates/grafana/dashboards. */
export function readDashboards(dashboardsDir: string): DashboardFile[] {
  return readdirSync(dashboardsDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dashboardsDir, name);
      return { file, json: JSON.parse(readFileSync(file, 'utf8')) as unknown };
    });
}
