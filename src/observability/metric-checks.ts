import type { Check, FailureEvidence } from '../results/run-result.js';
import { likelyRename, type ExposedFamily } from './exposition.js';
import { catalogueEntry, sampleSeriesName, SCRAPE_JOBS, type MetricSource } from './metric-catalogue.js';
import type { PanelQuery } from './dashboard-queries.js';
import { PrometheusApiError, type PrometheusApi, type QueryData, type ScrapeTarget } from './prometheus-api.js';
import { metricFamily, metricsInExpression } from './promql-metrics.js';
import type { AlertRule } from './rule-files.js';

export interface CheckOutcome {
  checks: Check[];
  evidence: FailureEvidence[];
}

/** Evidence summaries start with these words: the diagnosis knowledge base matches on them. */
export const EVIDENCE = {
  targetDown: 'Scrape target down',
  metricMissing: 'Metric not exposed',
  metricRenamed: 'Metric renamed',
  metricNotScraped: 'Metric not in Prometheus',
  metricNotAsCatalogued: 'Metric not as the contract catalogues it',
  counterDidNotMove: 'Counter did not move as the workload implies',
  queryError: 'Dashboard query error',
  queryNoData: 'Dashboard query returned no data',
  ruleUnknownMetric: 'Alert rule selects a metric that does not exist',
} as const;

/** Every job the rules and dashboards depend on has an active target that is up. */
export function checkTargetsUp(targets: readonly ScrapeTarget[], jobs: readonly string[]): CheckOutcome {
  const checks: Check[] = [];
  const evidence: FailureEvidence[] = [];
  for (const job of jobs) {
    const ofJob = targets.filter((target) => target.labels.job === job);
    const down = ofJob.filter((target) => target.health !== 'up');
    checks.push({
      name: `target ${job} up`,
      expected: 'every target up',
      actual: ofJob.length === 0 ? 'no target configured' : ofJob.map((target) => `${target.scrapeUrl}: ${target.health}`).join(', '),
      passed: ofJob.length > 0 && down.length === 0,
    });
    if (ofJob.length === 0 || down.length > 0) {
      evidence.push({
        source: 'verification',
        summary: `${EVIDENCE.targetDown}: job ${job}`,
        lines:
          ofJob.length === 0
            ? [`prometheus.yml has no target for job "${job}"`]
            : down.map((target) => `${target.scrapeUrl}: ${target.lastError || target.health}`),
        workflows: 0,
      });
    }
  }
  return { checks, evidence };
}

export type EndpointFamilies = Partial<Record<MetricSource, Map<string, ExposedFamily>>>;

/** Each required metric is on the endpoint that should expose it (or either, for metrics apex does not know). */
export function checkMetricsExposed(required: readonly string[], exposed: EndpointFamilies, endpointUrls: Partial<Record<MetricSource, string>>): CheckOutcome {
  const checks: Check[] = [];
  const evidence: FailureEvidence[] = [];
  const allNames = (source: MetricSource): string[] => [...(exposed[source]?.keys() ?? [])];
  for (const name of required) {
    const entry = catalogueEntry(name);
    const sources = (entry ? [entry.source] : (['temporal', 'worker'] as const)).filter((source) => endpointUrls[source] !== undefined);
    const found = sources.find((source) => (exposed[source]?.get(name)?.samples ?? 0) > 0);
    const where = sources.map((source) => endpointUrls[source]).join(' or ');
    if (found) {
      const family = exposed[found]?.get(name);
      checks.push({
        name: `${name} exposed`,
        expected: `on ${where}`,
        actual: `${family?.type} with ${family?.samples} samples on ${endpointUrls[found]}`,
        passed: true,
      });
      continue;
    }
    const renamed = sources.map((source) => likelyRename(name, allNames(source))).find((candidate) => candidate !== undefined);
    checks.push({ name: `${name} exposed`, expected: `on ${where}`, actual: renamed ? `missing; ${renamed} is exposed instead` : 'missing', passed: false });
    evidence.push(
      renamed
        ? {
            source: 'verification',
            summary: `${EVIDENCE.metricRenamed}: ${name} → ${renamed}`,
            lines: [
              `${name} is required but ${where} exposes ${renamed}`,
              'SDK versions and exporter options (countersTotalSuffix, unitSuffix, useSecondsForDurations) change metric names',
            ],
            workflows: 0,
          }
        : {
            source: 'verification',
            summary: `${EVIDENCE.metricMissing}: ${name}`,
            lines: [`${name} is required (phases.2e.requiredMetrics) but ${where} does not expose it, nor anything with a similar name`],
            workflows: 0,
          },
    );
  }
  return { checks, evidence };
}

/** A metric Prometheus must hold: the series that proves it has samples, and the job that scrapes it (any job when unknown). */
export interface ScrapeExpectation {
  name: string;
  series: string;
  job?: string;
}

/** The scrape expectations of required metrics, from the server/SDK catalogue (any job for names it does not know). */
export const requiredScrapes = (required: readonly string[]): ScrapeExpectation[] =>
  required.map((name) => {
    const entry = catalogueEntry(name);
    return { name, series: sampleSeriesName(name, entry?.type), job: entry ? SCRAPE_JOBS[entry.source] : undefined };
  });

/** Each expected metric has at least one series with samples in Prometheus (so it was scraped, not just exposed). */
export async function checkMetricsScraped(prometheus: PrometheusApi, expected: readonly ScrapeExpectation[], window: string): Promise<CheckOutcome> {
  const checks: Check[] = [];
  const evidence: FailureEvidence[] = [];
  for (const { name, series, job } of expected) {
    const selector = `{__name__="${series}"${job ? `, job="${job}"` : ''}}`;
    let actual: string;
    let passed = false;
    try {
      const data = await prometheus.query(`count(last_over_time(${selector}[${window}]))`);
      const count = data.resultType === 'vector' && data.result[0] ? Number(data.result[0].value[1]) : 0;
      passed = count > 0;
      actual = passed ? `${count} series with samples in the last ${window}` : `no series in the last ${window}`;
    } catch (error) {
      actual = `query failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    checks.push({ name: `${name} scraped`, expected: `series ${selector} with samples`, actual, passed });
    if (!passed) evidence.push({ source: 'verification', summary: `${EVIDENCE.metricNotScraped}: ${name}`, lines: [`${selector}: ${actual}`], workflows: 0 });
  }
  return { checks, evidence };
}

const hasValue = (data: QueryData): boolean => {
  if (data.resultType === 'vector') return data.result.some((sample) => !Number.isNaN(Number(sample.value[1])));
  if (data.resultType === 'matrix') return data.result.some((series) => series.values.some((value) => !Number.isNaN(Number(value[1]))));
  return !Number.isNaN(Number(data.result[1]));
};

/** Every dashboard panel query runs without error and returns at least one real (non-NaN) value. */
export async function checkPanelQueries(prometheus: PrometheusApi, queries: readonly PanelQuery[]): Promise<CheckOutcome> {
  const checks: Check[] = [];
  const evidence: FailureEvidence[] = [];
  for (const query of queries) {
    const name = `${query.dashboardTitle} / ${query.panel} / ${query.refId}`;
    try {
      const data = await prometheus.query(query.resolved);
      const passed = hasValue(data);
      const size = data.resultType === 'vector' || data.resultType === 'matrix' ? data.result.length : 1;
      checks.push({
        name,
        expected: 'evaluates and returns data',
        actual: passed ? `${size} series` : size === 0 ? 'no series' : `${size} series, all NaN (no observations in the window)`,
        passed,
      });
      if (!passed) {
        const missing = metricsInExpression(query.resolved).metrics;
        evidence.push({
          source: 'verification',
          summary: `${EVIDENCE.queryNoData}: ${name}`,
          lines: [query.resolved, `selects: ${missing.join(', ')}`],
          workflows: 0,
        });
      }
    } catch (error) {
      const message = error instanceof PrometheusApiError ? `${error.errorType}: ${error.message}` : error instanceof Error ? error.message : String(error);
      checks.push({ name, expected: 'evaluates and returns data', actual: `error: ${message}`, passed: false });
      evidence.push({ source: 'verification', summary: `${EVIDENCE.queryError}: ${name}`, lines: [query.resolved, message], workflows: 0 });
    }
  }
  return { checks, evidence };
}

/**
 * Every metric an alert rule selects exists in Prometheus, or is one the SDK only creates on its first error.
 * A rule over a metric that does not exist can never fire, and nothing else would say so.
 */
export function checkRuleMetrics(rules: readonly AlertRule[], known: readonly string[], createdOnError: readonly string[]): CheckOutcome {
  const knownFamilies = new Set([...known, ...known.map(metricFamily)]);
  const checks: Check[] = [];
  const evidence: FailureEvidence[] = [];
  for (const rule of rules) {
    const selected = metricsInExpression(rule.expr).metrics;
    const unknown = selected.filter(
      (metric) => !knownFamilies.has(metric) && !knownFamilies.has(metricFamily(metric)) && !createdOnError.includes(metricFamily(metric)),
    );
    checks.push({
      name: `${rule.alert} metrics exist`,
      expected: selected.join(', ') || '(no metric)',
      actual: unknown.length ? `unknown: ${unknown.join(', ')}` : 'all present',
      passed: unknown.length === 0,
    });
    if (unknown.length > 0) {
      const renames = unknown.map(
        (metric) =>
          `${metric}${(() => {
            const guess = likelyRename(metric, [...knownFamilies]);
            return guess ? ` (did you mean ${guess}?)` : '';
          })()}`,
      );
      evidence.push({
        source: 'verification',
        summary: `${EVIDENCE.ruleUnknownMetric}: ${rule.alert}`,
        lines: [`${rule.file}: ${rule.alert} selects ${renames.join(', ')}`, rule.expr.trim()],
        workflows: 0,
      });
    }
  }
  return { checks, evidence };
}
