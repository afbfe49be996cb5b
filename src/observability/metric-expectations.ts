import type { ContractMetric, MetricMove, WorkloadAmount } from '../contracts/schema.js';
import type { Check, FailureEvidence } from '../results/run-result.js';
import { likelyRename, type EndpointRead, type ExposedFamily } from './exposition.js';
import { SCRAPE_JOBS } from './metric-catalogue.js';
import { EVIDENCE, type CheckOutcome, type ScrapeExpectation } from './metric-checks.js';

/** What a workload ran, in the amounts a contract's `moves` name. */
export type WorkloadAmounts = Record<WorkloadAmount, number>;

/** Labels a histogram or summary adds to its own series: not the metric's labels. */
const SERIES_LABELS = ['le', 'quantile'];

/**
 * The family a catalogued metric is exposed as: its own name, or for a counter the name with `_total` appended or
 * removed (Prometheus clients append it; a team documents either).
 */
export function exposedFamilyOf(metric: Pick<ContractMetric, 'name' | 'type'>, exposed: ReadonlyMap<string, ExposedFamily>): ExposedFamily | undefined {
  const names = metric.type === 'counter' ? [metric.name, `${metric.name}_total`, metric.name.replace(/_total$/, '')] : [metric.name];
  return names.map((name) => exposed.get(name)).find((family) => family !== undefined);
}

/** The series a move counts: a counter's own samples, or a histogram's or summary's `_count`. */
const countedSeries = (family: ExposedFamily, type: ContractMetric['type']) =>
  family.series.filter((sample) => (type === 'counter' ? !sample.name.endsWith('_created') : sample.name === `${family.name}_count`));

/** The sum of the series of `metric` whose labels match the move's `where`; 0 when none exists yet. */
export function movedTotal(metric: ContractMetric, move: Pick<MetricMove, 'where'>, exposed: ReadonlyMap<string, ExposedFamily>): number {
  const family = exposedFamilyOf(metric, exposed);
  if (!family) return 0;
  return countedSeries(family, metric.type)
    .filter((sample) => Object.entries(move.where).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

const describeMetric = (metric: ContractMetric): string => `${metric.type} with HELP${metric.labels.length > 0 ? `, labels ${metric.labels.join(', ')}` : ''}`;

/** What is wrong with one exposed family against its catalogue entry, or nothing. */
function mismatches(metric: ContractMetric, family: ExposedFamily): string[] {
  const problems: string[] = [];
  if (family.help === undefined || family.help.trim() === '') problems.push('no HELP');
  if (family.type !== metric.type) problems.push(`TYPE ${family.type}`);
  const seen = new Set(family.series.flatMap((sample) => Object.keys(sample.labels)).filter((label) => !SERIES_LABELS.includes(label)));
  const missing = family.series.length > 0 ? metric.labels.filter((label) => !seen.has(label)) : [];
  if (missing.length > 0) problems.push(`labels ${[...seen].join(', ') || 'none'} (missing ${missing.join(', ')})`);
  return problems;
}

/**
 * Every metric of the contract's catalogue is at the worker's endpoint with a HELP text, a TYPE, the expected type,
 * and (where it has series yet) the expected labels.
 */
export function checkCatalogue(catalogue: readonly ContractMetric[], exposed: ReadonlyMap<string, ExposedFamily>, url: string): CheckOutcome {
  const checks: Check[] = [];
  const evidence: FailureEvidence[] = [];
  for (const metric of catalogue) {
    const family = exposedFamilyOf(metric, exposed);
    const expected = describeMetric(metric);
    if (!family) {
      const renamed = likelyRename(metric.name, [...exposed.keys()]);
      checks.push({ name: `${metric.name} catalogued`, expected, actual: renamed ? `missing; ${renamed} is exposed instead` : 'missing', passed: false });
      evidence.push({
        source: 'verification',
        summary: renamed ? `${EVIDENCE.metricRenamed}: ${metric.name} → ${renamed}` : `${EVIDENCE.metricMissing}: ${metric.name}`,
        lines: [`the worker contract's metrics list ${metric.name}, and ${url} does not expose it${renamed ? ` (it exposes ${renamed})` : ''}`],
        workflows: 0,
      });
      continue;
    }
    const problems = mismatches(metric, family);
    const labels = family.series.length > 0 ? '' : ' (no series yet: labels not seen)';
    checks.push({
      name: `${metric.name} catalogued`,
      expected,
      actual: problems.length > 0 ? problems.join('; ') : `${family.name}: ${expected}${labels}`,
      passed: problems.length === 0,
    });
    if (problems.length > 0) {
      evidence.push({
        source: 'verification',
        summary: `${EVIDENCE.metricNotAsCatalogued}: ${metric.name}`,
        lines: [`${url} exposes ${family.name}: ${problems.join('; ')}; the worker contract expects a ${expected}`],
        workflows: 0,
      });
    }
  }
  return { checks, evidence };
}

const selector = (metric: ContractMetric, move: MetricMove): string => {
  const labels = Object.entries(move.where).map(([label, value]) => `${label}="${value}"`);
  const name = metric.type === 'counter' ? metric.name : `${metric.name}_count`;
  return labels.length > 0 ? `${name}{${labels.join(', ')}}` : name;
};

/** How much a move expects, in words: "= 20 (1 × workflows)", "≥ 100 (5 × workflows)". */
const expectedOf = (move: MetricMove, amounts: WorkloadAmounts): { amount: number; text: string } => {
  const amount = move.times * amounts[move.per];
  return { amount, text: `${move.exact ? '=' : '≥'} ${amount} (${move.times} × ${move.per})` };
};

/**
 * Every counter the contract says a workload moves moved by the amount the workload implies, between a scrape
 * before it and one after: exactly where the contract says so, at least otherwise.
 */
export function checkMoves(
  catalogue: readonly ContractMetric[],
  before: ReadonlyMap<string, ExposedFamily>,
  after: ReadonlyMap<string, ExposedFamily>,
  amounts: WorkloadAmounts,
): CheckOutcome {
  const checks: Check[] = [];
  const evidence: FailureEvidence[] = [];
  const ran = `the workload ran ${amounts.workflows} workflows: ${amounts.succeeded} succeeded, ${amounts.failed} failed by design`;
  for (const metric of catalogue) {
    for (const move of metric.moves) {
      const moved = movedTotal(metric, move, after) - movedTotal(metric, move, before);
      const expected = expectedOf(move, amounts);
      const passed = move.exact ? moved === expected.amount : moved >= expected.amount;
      const name = `${selector(metric, move)} moved`;
      checks.push({ name, expected: expected.text, actual: String(moved), passed });
      if (!passed) {
        evidence.push({
          source: 'verification',
          summary: `${EVIDENCE.counterDidNotMove}: ${selector(metric, move)}`,
          lines: [
            `${selector(metric, move)}: ${movedTotal(metric, move, before)} before the workload, ${movedTotal(metric, move, after)} after: moved by ${moved}, expected ${expected.text}`,
            ran,
          ],
          workflows: 0,
        });
      }
    }
  }
  return { checks, evidence };
}

/**
 * What Prometheus must hold of the catalogue: each metric the worker's endpoint has samples of, under the worker's
 * job (a metric without samples yet, such as a counter of failures that did not happen, has nothing to scrape).
 */
export function catalogueScrapes(catalogue: readonly ContractMetric[], exposed: ReadonlyMap<string, ExposedFamily>): ScrapeExpectation[] {
  return catalogue.flatMap((metric) => {
    const family = exposedFamilyOf(metric, exposed);
    if (!family || family.samples === 0) return [];
    const series = family.type === 'histogram' || family.type === 'summary' ? `${family.name}_count` : family.name;
    return [{ name: metric.name, series, job: SCRAPE_JOBS.worker }];
  });
}

/** {@link checkMoves} between two reads of the worker's endpoint; a read that failed fails the check with why. */
export function checkMovesBetween(catalogue: readonly ContractMetric[], before: EndpointRead, after: EndpointRead, amounts: WorkloadAmounts): CheckOutcome {
  const unread = [before.error, after.error].filter((error) => error !== undefined);
  if (before.families && after.families && unread.length === 0) return checkMoves(catalogue, before.families, after.families, amounts);
  return {
    checks: [{ name: 'worker metrics read before and after the workload', expected: 'both reads answered', actual: unread.join('; '), passed: false }],
    evidence: [{ source: 'verification', summary: `${EVIDENCE.targetDown}: worker endpoint`, lines: unread, workflows: 0 }],
  };
}
