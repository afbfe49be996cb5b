import { z } from 'zod';

const sampleValue = z.tuple([z.number(), z.string()]);

const vectorResult = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })),
});
const matrixResult = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) })),
});
const scalarResult = z.object({ resultType: z.enum(['scalar', 'string']), result: sampleValue });
const queryData = z.discriminatedUnion('resultType', [vectorResult, matrixResult, scalarResult]);
export type QueryData = z.infer<typeof queryData>;

const targetSchema = z
  .object({
    labels: z.record(z.string(), z.string()),
    scrapePool: z.string(),
    scrapeUrl: z.string(),
    lastError: z.string(),
    lastScrape: z.string(),
    health: z.enum(['up', 'down', 'unknown']),
  })
  .passthrough();
export type ScrapeTarget = z.infer<typeof targetSchema>;

const alertSchema = z
  .object({
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()).default({}),
    state: z.enum(['pending', 'firing', 'inactive']),
    activeAt: z.string().optional(),
    value: z.string().optional(),
  })
  .passthrough();
export type PrometheusAlert = z.infer<typeof alertSchema>;

const ruleSchema = z
  .object({
    name: z.string(),
    query: z.string(),
    type: z.enum(['alerting', 'recording']),
    health: z.string(),
    lastError: z.string().optional(),
    state: z.string().optional(),
  })
  .passthrough();
export type LoadedRule = z.infer<typeof ruleSchema>;

/** Prometheus answered, but refused the request (bad query, unknown endpoint...). */
export class PrometheusApiError extends Error {
  override readonly name = 'PrometheusApiError';
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const envelope = z.discriminatedUnion('status', [
  z.object({ status: z.literal('success'), data: z.unknown(), warnings: z.array(z.string()).optional() }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

export interface PrometheusApi {
  readonly baseUrl: string;
  ready(): Promise<boolean>;
  /** Instant query at `time` (default now). */
  query(expression: string, time?: Date): Promise<QueryData>;
  targets(): Promise<ScrapeTarget[]>;
  /** Every metric name Prometheus holds samples for. */
  metricNames(): Promise<string[]>;
  alerts(): Promise<PrometheusAlert[]>;
  rules(): Promise<LoadedRule[]>;
}

export function createPrometheusApi(baseUrl: string, fetchImpl: typeof fetch = fetch): PrometheusApi {
  const base = baseUrl.replace(/\/$/, '');
  const call = async (path: string, params?: Record<string, string>): Promise<unknown> => {
    const url = `${base}${path}`;
    const response = await fetchImpl(url, {
      method: params ? 'POST' : 'GET',
      body: params ? new URLSearchParams(params) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const parsed = envelope.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new PrometheusApiError('bad_response', `${url} answered HTTP ${response.status} without a Prometheus API body`);
    if (parsed.data.status === 'error') throw new PrometheusApiError(parsed.data.errorType, parsed.data.error);
    return parsed.data.data;
  };
  return {
    baseUrl: base,
    ready: () => answersOk(`${base}/-/ready`, fetchImpl),
    query: async (expression, time) =>
      queryData.parse(await call('/api/v1/query', { query: expression, ...(time ? { time: String(time.getTime() / 1000) } : {}) })),
    targets: async () => z.object({ activeTargets: z.array(targetSchema) }).parse(await call('/api/v1/targets?state=active')).activeTargets,
    metricNames: async () => z.array(z.string()).parse(await call('/api/v1/label/__name__/values')),
    alerts: async () => z.object({ alerts: z.array(alertSchema) }).parse(await call('/api/v1/alerts')).alerts,
    rules: async () =>
      z
        .object({ groups: z.array(z.object({ rules: z.array(ruleSchema) })) })
        .parse(await call('/api/v1/rules'))
        .groups.flatMap((group) => group.rules),
  };
}

/** Whether a URL answers 2xx within two seconds: the readiness probe of Prometheus and Alertmanager. */
export async function answersOk(url: string, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  return (await fetchImpl(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok ?? false;
}
