import { describe, expect, it } from 'vitest';
import { workerContractSchema, type ContractMetric } from '../../../src/contracts/schema.js';
import { parseExposition } from '../../../src/observability/exposition.js';
import { EVIDENCE } from '../../../src/observability/metric-checks.js';
import { catalogueScrapes, checkCatalogue, checkMoves, checkMovesBetween, movedTotal } from '../../../src/observability/metric-expectations.js';
import { selectContract } from '../../../src/contracts/select.js';

const URL = 'http://127.0.0.1:9091/metrics';

/** What prometheus_client writes: counters with `_total` (and `_created`), histograms with buckets, a HELP per family. */
const exposition = (started: number, success: number, failed: number, durations: number) => `# HELP apex_temporal_workflow_started_total Workflows started
# TYPE apex_temporal_workflow_started_total counter
apex_temporal_workflow_started_total{workflow_type="DocumentIngestionWorkflow"} ${started}.0
# HELP apex_temporal_workflow_started_created Workflows started
# TYPE apex_temporal_workflow_started_created gauge
apex_temporal_workflow_started_created{workflow_type="DocumentIngestionWorkflow"} 1.7e+09
# HELP apex_temporal_workflow_completed_total Workflows completed
# TYPE apex_temporal_workflow_completed_total counter
apex_temporal_workflow_completed_total{workflow_type="DocumentIngestionWorkflow",status="success"} ${success}.0
apex_temporal_workflow_completed_total{workflow_type="DocumentIngestionWorkflow",status="failed"} ${failed}.0
# HELP apex_temporal_activity_retry_count_total Activity attempts after the first
# TYPE apex_temporal_activity_retry_count_total counter
# HELP apex_temporal_workflow_duration_seconds Workflow start to close
# TYPE apex_temporal_workflow_duration_seconds histogram
apex_temporal_workflow_duration_seconds_bucket{le="1.0",status="success"} ${durations}.0
apex_temporal_workflow_duration_seconds_bucket{le="+Inf",status="success"} ${durations}.0
apex_temporal_workflow_duration_seconds_count{status="success"} ${durations}.0
apex_temporal_workflow_duration_seconds_sum{status="success"} 1.5
# TYPE apex_temporal_task_queue_depth gauge
apex_temporal_task_queue_depth{task_queue="q"} 0.0
`;

const CATALOGUE: ContractMetric[] = [
  { name: 'apex_temporal_workflow_started_total', type: 'counter', labels: [], moves: [{ where: {}, per: 'workflows', times: 1, exact: true }] },
  {
    name: 'apex_temporal_workflow_completed_total',
    type: 'counter',
    labels: ['workflow_type', 'status'],
    moves: [
      { where: { status: 'success' }, per: 'succeeded', times: 1, exact: true },
      { where: { status: 'failed' }, per: 'failed', times: 1, exact: false },
    ],
  },
  { name: 'apex_temporal_activity_retry_count', type: 'counter', labels: [], moves: [] },
  {
    name: 'apex_temporal_workflow_duration_seconds',
    type: 'histogram',
    labels: ['workflow_type'],
    moves: [{ where: {}, per: 'workflows', times: 2, exact: false }],
  },
  { name: 'apex_temporal_task_queue_depth', type: 'gauge', labels: [], moves: [] },
  { name: 'apex_temporal_ingestion_throughput_per_minute', type: 'gauge', labels: [], moves: [] },
];

describe('parseExposition', () => {
  it('keeps HELP, labels and values of every sample, with escapes and infinities', () => {
    const families = parseExposition('# HELP a A thing\n# TYPE a counter\na_total{x="say \\"hi\\"",y="1,2"} 3.5\nb +Inf\n');
    expect(families.get('a')).toMatchObject({
      type: 'counter',
      help: 'A thing',
      series: [{ name: 'a_total', labels: { x: 'say "hi"', y: '1,2' }, value: 3.5 }],
    });
    expect(families.get('b')?.series[0].value).toBe(Infinity);
  });
});

describe('checkCatalogue', () => {
  it('finds a counter under its `_total` name, and fails a missing metric, a wrong type and a missing label, each with evidence', () => {
    const { checks, evidence } = checkCatalogue(CATALOGUE, parseExposition(exposition(1, 1, 0, 1)), URL);
    expect(checks.map((check) => [check.name, check.passed, check.actual])).toEqual([
      ['apex_temporal_workflow_started_total catalogued', true, 'apex_temporal_workflow_started_total: counter with HELP'],
      ['apex_temporal_workflow_completed_total catalogued', true, 'apex_temporal_workflow_completed_total: counter with HELP, labels workflow_type, status'],
      ['apex_temporal_activity_retry_count catalogued', true, 'apex_temporal_activity_retry_count_total: counter with HELP (no series yet: labels not seen)'],
      ['apex_temporal_workflow_duration_seconds catalogued', false, 'labels status (missing workflow_type)'],
      ['apex_temporal_task_queue_depth catalogued', false, 'no HELP'],
      ['apex_temporal_ingestion_throughput_per_minute catalogued', false, 'missing'],
    ]);
    expect(evidence.map((item) => item.summary)).toEqual([
      `${EVIDENCE.metricNotAsCatalogued}: apex_temporal_workflow_duration_seconds`,
      `${EVIDENCE.metricNotAsCatalogued}: apex_temporal_task_queue_depth`,
      `${EVIDENCE.metricMissing}: apex_temporal_ingestion_throughput_per_minute`,
    ]);
  });

  it('fails a metric exposed with another type', () => {
    const [check] = checkCatalogue([{ ...CATALOGUE[0], type: 'gauge' }], parseExposition(exposition(1, 1, 0, 1)), URL).checks;
    expect(check).toMatchObject({ passed: false, actual: 'TYPE counter' });
    const [typed] = checkCatalogue([{ ...CATALOGUE[4], type: 'counter' }], parseExposition(exposition(1, 1, 0, 1)), URL).checks;
    expect(typed).toMatchObject({ passed: false, actual: 'no HELP; TYPE gauge' });
  });
});

describe('checkMoves', () => {
  const before = parseExposition(exposition(10, 7, 3, 10));
  const amounts = { workflows: 6, succeeded: 4, failed: 2 };

  it('passes counters that moved by exactly / at least the amounts the workload implies, with expected and actual', () => {
    const { checks, evidence } = checkMoves(CATALOGUE, before, parseExposition(exposition(16, 11, 6, 22)), amounts);
    expect(checks).toEqual([
      { name: 'apex_temporal_workflow_started_total moved', expected: '= 6 (1 × workflows)', actual: '6', passed: true },
      { name: 'apex_temporal_workflow_completed_total{status="success"} moved', expected: '= 4 (1 × succeeded)', actual: '4', passed: true },
      { name: 'apex_temporal_workflow_completed_total{status="failed"} moved', expected: '≥ 2 (1 × failed)', actual: '3', passed: true },
      { name: 'apex_temporal_workflow_duration_seconds_count moved', expected: '≥ 12 (2 × workflows)', actual: '12', passed: true },
    ]);
    expect(evidence).toEqual([]);
  });

  it('fails a counter that did not move, one that moved twice as much as an exact amount, and one short of an at-least amount', () => {
    const { checks, evidence } = checkMoves(CATALOGUE, before, parseExposition(exposition(10, 15, 4, 21)), amounts);
    expect(checks.map((check) => [check.actual, check.passed])).toEqual([
      ['0', false],
      ['8', false],
      ['1', false],
      ['11', false],
    ]);
    expect(evidence[0]).toMatchObject({
      summary: `${EVIDENCE.counterDidNotMove}: apex_temporal_workflow_started_total`,
      lines: [
        'apex_temporal_workflow_started_total: 10 before the workload, 10 after: moved by 0, expected = 6 (1 × workflows)',
        'the workload ran 6 workflows: 4 succeeded, 2 failed by design',
      ],
    });
  });

  it('fails, with why, when the endpoint could not be read before or after the workload', () => {
    const down = { error: `${URL} cannot be read: connect ECONNREFUSED` };
    const { checks, evidence } = checkMovesBetween(CATALOGUE, { families: before }, down, amounts);
    expect(checks).toEqual([{ name: 'worker metrics read before and after the workload', expected: 'both reads answered', actual: down.error, passed: false }]);
    expect(evidence[0].summary).toBe(`${EVIDENCE.targetDown}: worker endpoint`);
  });

  it('counts a series that did not exist before the workload from zero', () => {
    const metric = CATALOGUE[1];
    expect(movedTotal(metric, { where: { status: 'failed' } }, new Map())).toBe(0);
    expect(movedTotal(metric, { where: { status: 'failed' } }, before)).toBe(3);
  });
});

describe('catalogueScrapes', () => {
  it("names the series Prometheus must hold under the worker's job, for metrics with samples only", () => {
    expect(catalogueScrapes(CATALOGUE, parseExposition(exposition(1, 1, 0, 1)))).toEqual([
      { name: 'apex_temporal_workflow_started_total', series: 'apex_temporal_workflow_started_total', job: 'apex-worker' },
      { name: 'apex_temporal_workflow_completed_total', series: 'apex_temporal_workflow_completed_total', job: 'apex-worker' },
      { name: 'apex_temporal_workflow_duration_seconds', series: 'apex_temporal_workflow_duration_seconds_count', job: 'apex-worker' },
      { name: 'apex_temporal_task_queue_depth', series: 'apex_temporal_task_queue_depth', job: 'apex-worker' },
    ]);
  });
});

describe("the contract's metrics", () => {
  it("the apex-memory contract lists the team's 26 apex_temporal_* metrics and the counters a workload moves", () => {
    const contract = selectContract({ use: 'apex-memory' }, REFERENCE_SETTINGS);
    if (!contract.success) throw contract.error;
    expect(contract.data.metrics).toHaveLength(26);
    expect(contract.data.metrics.every((metric) => metric.name.startsWith('apex_temporal_'))).toBe(true);
    expect(contract.data.metrics.filter((metric) => metric.type === 'gauge').map((metric) => metric.name)).toHaveLength(5);
    expect(contract.data.worker?.metricsUrl).toBe('http://127.0.0.1:9091/metrics');
    expect(contract.data.metrics.find((metric) => metric.name === 'apex_temporal_workflow_started_total')?.moves).toEqual([
      { where: {}, per: 'workflows', times: 1, exact: true },
    ]);
  });

  it("the reference contract keeps the SDK catalogue of phases.2e.requiredMetrics and names `apex worker`'s metrics endpoint", () => {
    const contract = selectContract({ use: 'reference' }, REFERENCE_SETTINGS);
    if (!contract.success) throw contract.error;
    expect(contract.data.metrics).toEqual([]);
    expect(contract.data.worker).toEqual({ metricsUrl: 'http://127.0.0.1:9464/metrics', env: {}, phaseEnv: {} });
  });

  it('refuses moves on a gauge and a `where` over a label the metric does not list', () => {
    const contract = selectContract({ use: 'apex-memory' }, REFERENCE_SETTINGS);
    if (!contract.success) throw contract.error;
    const parsed = workerContractSchema.safeParse({
      ...contract.data,
      metrics: [
        { name: 'a', type: 'gauge', moves: [{ per: 'workflows' }] },
        { name: 'b_total', type: 'counter', labels: ['status'], moves: [{ where: { state: 'ok' }, per: 'succeeded' }] },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['metrics.0.moves', expect.stringMatching(/^a gauge goes up and down/)],
      ['metrics.1.moves.0.where.state', expect.stringMatching(/^label state is not among the metric's labels \(status\)/)],
    ]);
  });
});

const REFERENCE_SETTINGS = {
  namespace: 'default',
  taskQueue: 'apex-ingestion',
  workflowType: 'ingestDocument',
  testBucket: 'apex-test',
  qdrantCollection: 'apex_chunks',
  redisPrefix: 'apex:',
  workerMetricsAddress: '127.0.0.1:9464',
};
