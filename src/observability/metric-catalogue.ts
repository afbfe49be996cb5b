/** Where a metric comes from: the Temporal server's own endpoint, or the worker's SDK (Core) Prometheus endpoint. */
export type MetricSource = 'temporal' | 'worker';
export type MetricType = 'counter' | 'gauge' | 'histogram';
/** A failure that creates a counter: exporters create counters on their first increment. */
export type FailureKind = 'failed-execution' | 'failed-activity';

export interface CatalogueMetric {
  name: string;
  type: MetricType;
  source: MetricSource;
  /** What a person reads it for. */
  meaning: string;
  /** Only exists once a workload has caused this failure. */
  createdBy?: FailureKind;
}

/** Prometheus job names, shared by the prometheus.yml template, the rules and the phases. */
export const SCRAPE_JOBS: Record<MetricSource, string> = { temporal: 'temporal', worker: 'apex-worker' };

/**
 * The 27 metrics phase 2E requires by default, as Temporal Server 1.29 and the TypeScript SDK 1.24
 * (Core, default exporter options: no `_total` suffix, durations in milliseconds) name them.
 */
export const METRIC_CATALOGUE: readonly CatalogueMetric[] = [
  { name: 'service_requests', type: 'counter', source: 'temporal', meaning: 'gRPC requests per service and operation' },
  { name: 'service_latency', type: 'histogram', source: 'temporal', meaning: 'gRPC request latency (seconds)' },
  { name: 'persistence_requests', type: 'counter', source: 'temporal', meaning: 'requests to the persistence store' },
  { name: 'persistence_latency', type: 'histogram', source: 'temporal', meaning: 'persistence latency (seconds)' },
  { name: 'workflow_success', type: 'counter', source: 'temporal', meaning: 'workflows completed, server side' },
  { name: 'workflow_failed', type: 'counter', source: 'temporal', meaning: 'workflows failed, server side', createdBy: 'failed-execution' },
  { name: 'activity_success', type: 'counter', source: 'temporal', meaning: 'activities completed, server side' },
  { name: 'activity_fail', type: 'counter', source: 'temporal', meaning: 'activities failed for good, server side', createdBy: 'failed-activity' },
  { name: 'task_schedule_to_start_latency', type: 'histogram', source: 'temporal', meaning: 'task wait in the queue (seconds)' },
  { name: 'approximate_backlog_count', type: 'gauge', source: 'temporal', meaning: 'tasks waiting per task queue' },
  { name: 'poll_success', type: 'counter', source: 'temporal', meaning: 'polls that got a task' },
  { name: 'temporal_request', type: 'counter', source: 'worker', meaning: 'worker → server requests' },
  { name: 'temporal_request_latency', type: 'histogram', source: 'worker', meaning: 'worker → server request latency (ms)' },
  { name: 'temporal_workflow_completed', type: 'counter', source: 'worker', meaning: 'workflows completed' },
  { name: 'temporal_workflow_failed', type: 'counter', source: 'worker', meaning: 'workflows failed', createdBy: 'failed-execution' },
  { name: 'temporal_workflow_endtoend_latency', type: 'histogram', source: 'worker', meaning: 'workflow start → close (ms)' },
  { name: 'temporal_workflow_task_schedule_to_start_latency', type: 'histogram', source: 'worker', meaning: 'workflow task wait (ms)' },
  { name: 'temporal_workflow_task_execution_latency', type: 'histogram', source: 'worker', meaning: 'workflow task run time (ms)' },
  { name: 'temporal_workflow_task_replay_latency', type: 'histogram', source: 'worker', meaning: 'workflow replay time (ms)' },
  { name: 'temporal_workflow_task_queue_poll_succeed', type: 'counter', source: 'worker', meaning: 'workflow polls that got a task' },
  { name: 'temporal_activity_execution_latency', type: 'histogram', source: 'worker', meaning: 'activity attempt run time (ms), per activity type' },
  { name: 'temporal_activity_schedule_to_start_latency', type: 'histogram', source: 'worker', meaning: 'activity task wait (ms)' },
  {
    name: 'temporal_activity_execution_failed',
    type: 'counter',
    source: 'worker',
    meaning: 'failed activity attempts (retries)',
    createdBy: 'failed-activity',
  },
  { name: 'temporal_activity_succeed_endtoend_latency', type: 'histogram', source: 'worker', meaning: 'activity schedule → success (ms)' },
  { name: 'temporal_worker_task_slots_available', type: 'gauge', source: 'worker', meaning: 'free task slots per worker type' },
  { name: 'temporal_worker_task_slots_used', type: 'gauge', source: 'worker', meaning: 'busy task slots per worker type' },
  { name: 'temporal_num_pollers', type: 'gauge', source: 'worker', meaning: 'pollers per poller type' },
];

export const DEFAULT_REQUIRED_METRICS: readonly string[] = METRIC_CATALOGUE.map((metric) => metric.name);

export const catalogueEntry = (name: string): CatalogueMetric | undefined => METRIC_CATALOGUE.find((metric) => metric.name === name);

/** The series name that proves a family has samples: histograms only expose `_bucket`, `_sum` and `_count`. */
export const sampleSeriesName = (name: string, type: MetricType | undefined): string => (type === 'histogram' ? `${name}_count` : name);

/**
 * Counters the exporters create on their first increment: absent on a healthy stack, so a rule over them is not
 * "selecting a metric that does not exist".
 */
export const CREATED_ON_ERROR: readonly string[] = [
  'temporal_request_failure',
  'temporal_long_request_failure',
  'temporal_workflow_failed',
  'temporal_workflow_task_execution_failed',
  'temporal_activity_execution_failed',
  'temporal_activity_execution_cancelled',
  'temporal_local_activity_execution_failed',
  'workflow_failed',
  'activity_fail',
];

/** Series Prometheus writes itself for every scrape target: they exist as soon as the target is scraped once. */
export const SCRAPE_SERIES: readonly string[] = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
];

/** Histograms the SDK emits only for local activities (apex's store writes by default): known, not required. */
export const LOCAL_ACTIVITY_HISTOGRAMS: readonly string[] = ['temporal_local_activity_execution_latency', 'temporal_local_activity_succeed_endtoend_latency'];

/** Every series name a known metric family may have: what "the metric exists" can be checked against. */
export const knownSeriesNames = (): string[] => [
  ...SCRAPE_SERIES,
  ...CREATED_ON_ERROR,
  ...[...METRIC_CATALOGUE, ...LOCAL_ACTIVITY_HISTOGRAMS.map((name) => ({ name, type: 'histogram' as const }))].flatMap((metric) =>
    metric.type === 'histogram' ? [metric.name, `${metric.name}_bucket`, `${metric.name}_count`, `${metric.name}_sum`] : [metric.name],
  ),
];
