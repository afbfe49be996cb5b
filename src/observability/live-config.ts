import { parse, stringify } from 'yaml';
import { SCRAPE_JOBS } from './metric-catalogue.js';

export interface LiveTiming {
  /** Scrape and rule evaluation interval, e.g. "1s". */
  interval: string;
  /**
   * Scrape interval (and timeout) of jobs given here instead, e.g. { temporal: '5s' }: the Temporal server's
   * exposition is large, and a one-second timeout on a busy machine reads as the server being down.
   */
  jobIntervals?: Readonly<Record<string, string>>;
  /** Alertmanager's group_wait and group_interval, e.g. "1s". */
  notifyDelay: string;
}

export interface LivePrometheusSetup {
  /** host:port of each scrape job apex depends on, by job name. */
  targets: Readonly<Record<string, string>>;
  /** Scrape jobs of the project's own (its worker's metrics endpoint), added to the template's. */
  jobs?: readonly ScrapeTarget[];
  ruleFiles: readonly string[];
  /** host:port of Alertmanager. */
  alertmanager: string;
  timing: LiveTiming;
}

/** One endpoint to scrape: e.g. { job: 'apex-temporal-worker', target: '127.0.0.1:9091', path: '/metrics' }. */
export interface ScrapeTarget {
  job: string;
  target: string;
  path: string;
}

/** A metrics URL as a scrape target of `job`. */
export function scrapeTarget(job: string, url: string): ScrapeTarget {
  const parsed = new URL(url);
  return { job, target: parsed.host, path: parsed.pathname || '/metrics' };
}

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  [key: string]: unknown;
}

/**
 * The observability profile's prometheus.yml as a phase runs it: same jobs (the rules select on their names), pointed
 * at the real endpoints, with the phase's intervals, rule files and Alertmanager. A job the rules need that the
 * template lacks is an error, not something to paper over.
 */
export function renderPrometheusConfig(templateText: string, setup: LivePrometheusSetup): string {
  const template = (parse(templateText) ?? {}) as { scrape_configs?: ScrapeConfig[]; [key: string]: unknown };
  const jobs = template.scrape_configs ?? [];
  for (const required of Object.values(SCRAPE_JOBS)) {
    if (!jobs.some((job) => job.job_name === required)) {
      throw new Error(`prometheus.yml has no scrape job "${required}"; the alert rules and phase 2E select on it`);
    }
  }
  const scrapeConfigs: ScrapeConfig[] = jobs
    .filter((job) => setup.targets[job.job_name] !== undefined)
    .map((job) => {
      const interval = setup.timing.jobIntervals?.[job.job_name] ?? setup.timing.interval;
      return { ...job, scrape_interval: interval, scrape_timeout: interval, static_configs: [{ targets: [setup.targets[job.job_name]] }] };
    });
  for (const own of setup.jobs ?? []) {
    if (scrapeConfigs.some((job) => job.job_name === own.job)) throw new Error(`scrape job "${own.job}" is given twice`);
    const interval = setup.timing.jobIntervals?.[own.job] ?? setup.timing.interval;
    scrapeConfigs.push({
      job_name: own.job,
      metrics_path: own.path,
      scrape_interval: interval,
      scrape_timeout: interval,
      static_configs: [{ targets: [own.target] }],
    });
  }
  return stringify(
    {
      ...template,
      global: { ...(template.global as object | undefined), scrape_interval: setup.timing.interval, evaluation_interval: setup.timing.interval },
      rule_files: [...setup.ruleFiles],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [setup.alertmanager] }] }] },
      scrape_configs: scrapeConfigs,
    },
    { lineWidth: 0 },
  );
}

interface Route {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface Receiver {
  name: string;
  webhook_configs?: { url: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

/**
 * The profile's alertmanager.yml as a phase runs it: the same routing tree and receivers, every webhook pointed at
 * `${webhookUrl}/<receiver>` (apex's listener), and short grouping delays so a notification follows an alert at once.
 */
export function renderAlertmanagerConfig(templateText: string, webhookUrl: string, timing: LiveTiming): string {
  const template = (parse(templateText) ?? {}) as { route?: Route; receivers?: Receiver[]; [key: string]: unknown };
  const shorten = (route: Route, root: boolean): Route => ({
    ...route,
    ...(root || route.group_wait !== undefined ? { group_wait: timing.notifyDelay } : {}),
    ...(root || route.group_interval !== undefined ? { group_interval: timing.notifyDelay } : {}),
    ...(root || route.repeat_interval !== undefined ? { repeat_interval: '1h' } : {}),
    ...(route.routes ? { routes: route.routes.map((child) => shorten(child, false)) } : {}),
  });
  // Only the webhook: a test must not page anyone through the template's real channels.
  const receivers = (template.receivers ?? []).map((receiver) => ({
    name: receiver.name,
    webhook_configs: [{ url: `${webhookUrl}/${receiver.name}`, send_resolved: true }],
  }));
  return stringify({ ...template, route: shorten(template.route ?? {}, true), receivers }, { lineWidth: 0 });
}
