import { z } from 'zod';
import { SERVICE_NAMES, type ServiceName } from '../config/service-specs.js';
import { STORES } from '../results/ingestion-contract.js';
import { placeholders } from './render.js';

/**
 * A worker contract: everything a phase needs to drive one ingestion worker and verify what it wrote. Every
 * difference between workers (names, arguments, result fields, store keys) is a field here, never an `if` in a phase.
 * Strings marked "template" take `{variable}` placeholders; the variables each place may use are listed below and
 * checked when the config is loaded.
 */

/** The stores a contract can verify and clean up. */
export const CONTRACT_STORES = ['postgres', 'neo4j', 'qdrant', 'redis', 's3'] as const;
export type ContractStore = (typeof CONTRACT_STORES)[number];

/** Known when a document is prepared: its name, where it is delivered, and the workflow's options. */
export const DOCUMENT_VARIABLES = [
  'runId',
  'phase',
  /** The document's index, zero-padded to 5 digits; `index` is the plain number. */
  'n',
  'index',
  /** The document's type as a file extension: txt, md, html, pdf. */
  'extension',
  'documentName',
  'bucket',
  'prefix',
  'key',
  /** Folder delivery: the folder, and the document's path in it. */
  'folder',
  'documentPath',
  /** HTTP delivery: the document's URL on apex's loopback server. */
  'documentUrl',
  'localCpuSteps',
  'localStoreWrites',
] as const;

/** A document-scope check also knows what its workflow returned and what the document must produce. */
export const OUTCOME_VARIABLES = [...DOCUMENT_VARIABLES, 'documentUuid', 'expectedChunks', 'expectedEntities'] as const;

/** A run-scope check or cleanup knows the run and its totals (expected* are summed over completed documents). */
export const RUN_VARIABLES = [
  'runId',
  'phase',
  'bucket',
  'prefix',
  'folder',
  'planned',
  'completed',
  'failed',
  'uploaded',
  'expectedChunks',
  'expectedEntities',
] as const;

/** The stack's endpoints and credentials, for a worker's environment. */
export const STACK_VARIABLES = [
  ...['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'temporal'].flatMap((store) => [`${store}.host`, `${store}.port`]),
  'postgres.user',
  'postgres.password',
  'postgres.database',
  'neo4j.user',
  'neo4j.password',
  'qdrant.url',
  'qdrant.apiKey',
  'redis.password',
  's3.endpointUrl',
  's3.accessKeyId',
  's3.secretAccessKey',
  's3.region',
  'temporal.address',
  'temporal.namespace',
  'temporal.taskQueue',
  'temporal.apiKey',
  'runId',
  'phase',
  'bucket',
  'prefix',
  'folder',
] as const;

const template = z.string().min(1);
const fieldPath = z.string().regex(/^[A-Za-z_][\w-]*(\.[\w-]+)*$/, 'a dotted field path such as "status" or "result.uuid"');
const count = z.union([z.number().int().nonnegative(), z.string().regex(/^\{[A-Za-z_][\w.]*\}$/, 'a number or one "{variable}"')]);

const expectation = z.union(
  [
    z.object({ equals: count }).strict(),
    z.object({ atLeast: count }).strict(),
    z.object({ present: z.literal(true) }).strict(),
    z.object({ absent: z.literal(true) }).strict(),
  ],
  { errorMap: () => ({ message: 'expected one of { equals: <n> }, { atLeast: <n> }, { present: true }, { absent: true } (<n>: a number or "{variable}")' }) },
);
export type Expectation = z.infer<typeof expectation>;

/** Each store's query: what a check counts and what a cleanup deletes. */
const storeQueries = {
  /** One statement; bound parameters. A check's statement returns the count in the first column of its first row. */
  postgres: z.object({ sql: template }).strict(),
  /** One statement; bound parameters. A check's statement returns the count as the first value of its first record. */
  neo4j: z.object({ cypher: template }).strict(),
  /** Points in a collection that match a Qdrant filter object with template leaves. */
  qdrant: z.object({ collection: template, filter: z.record(z.string(), z.unknown()) }).strict(),
  /** Keys matching a glob (SCAN); substituted values are escaped. */
  redis: z.object({ pattern: template }).strict(),
  /** Objects under a key prefix. */
  s3: z.object({ bucket: template, prefix: z.string() }).strict(),
};
export type PostgresQuery = z.infer<typeof storeQueries.postgres>;
export type Neo4jQuery = z.infer<typeof storeQueries.neo4j>;
export type QdrantQuery = z.infer<typeof storeQueries.qdrant>;
export type RedisQuery = z.infer<typeof storeQueries.redis>;
export type S3Query = z.infer<typeof storeQueries.s3>;

const scope = z.enum(['run', 'document']);
const checkFields = {
  name: z.string().min(1),
  /** `run`: once per run, over its totals; `document`: once per document. */
  scope,
  /** A document-scope check applies only to documents that ended this way; absent = every document. */
  when: z.enum(['succeeded', 'failed']).optional(),
  expect: expectation,
};
const cleanupFields = { scope: scope.default('run') };

const perStore = <Shape extends z.ZodRawShape>(extra: Shape) =>
  z
    .object({
      postgres: z.array(storeQueries.postgres.extend(extra).strict()).default([]),
      neo4j: z.array(storeQueries.neo4j.extend(extra).strict()).default([]),
      qdrant: z.array(storeQueries.qdrant.extend(extra).strict()).default([]),
      redis: z.array(storeQueries.redis.extend(extra).strict()).default([]),
      s3: z.array(storeQueries.s3.extend(extra).strict()).default([]),
    })
    .strict()
    .default({});

/** The contract's cleanup statements, per store: what a run ledger keeps so that a later process can run them. */
export const cleanupSchema = perStore(cleanupFields);

const delivery = z.discriminatedUnion('kind', [
  /** Uploaded to S3 under `key` (template over `prefix` and `documentName`). */
  z.object({ kind: z.literal('s3'), bucket: template, prefix: z.string(), key: template }).strict(),
  /** Written into a folder the worker reads (a `local_upload` style source). */
  z.object({ kind: z.literal('folder'), path: template }).strict(),
  /** Served by apex on loopback for the run; `{documentUrl}` is the document's URL. */
  z.object({ kind: z.literal('http') }).strict(),
]);

const jsonObject = z.record(z.string(), z.unknown());

/** What the worker's code needs of a service apex starts for it (docker runtime). */
const serviceNeeds = z
  .object({
    /** The image, when the service's default lacks what the code uses; `services.<name>.image` in the config still wins. */
    image: z.string().min(1).optional(),
    /** Added to the container's environment, e.g. NEO4J_PLUGINS for the official Neo4j image. */
    env: z.record(z.string(), z.string()).default({}),
  })
  .strict();

/** The amounts a phase's workload implies: the workflows it ran, those that succeeded, those that failed by design. */
export const WORKLOAD_AMOUNTS = ['workflows', 'succeeded', 'failed'] as const;
export type WorkloadAmount = (typeof WORKLOAD_AMOUNTS)[number];

const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name');
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name');

/** How much a counter (or a histogram's or summary's count of observations) moves when a workload runs. */
const metricMove = z
  .object({
    /** Label values of the series that are summed; absent = every series of the metric. */
    where: z.record(labelName, z.string()).default({}),
    /** The workload amount it moves by... */
    per: z.enum(WORKLOAD_AMOUNTS),
    /** ...times this (e.g. 5 activities per workflow). */
    times: z.number().positive().default(1),
    /** Exactly that amount; otherwise at least that (retries may add more). */
    exact: z.boolean().default(false),
  })
  .strict();

const contractMetric = z
  .object({
    /** As the worker's documentation names it; a counter may show with `_total` appended, as Prometheus clients write it. */
    name: metricName,
    type: z.enum(['counter', 'gauge', 'histogram', 'summary']),
    /** Labels every series of it carries (others may be there too). */
    labels: z.array(labelName).default([]),
    moves: z.array(metricMove).default([]),
  })
  .strict();
export type ContractMetric = z.infer<typeof contractMetric>;
export type MetricMove = z.infer<typeof metricMove>;

const contractObject = z
  .object({
    /** The contract's name in reports. */
    label: z.string().min(1),
    temporal: z
      .object({
        namespace: z.string().min(1),
        taskQueue: z.string().min(1),
        workflowType: z.string().min(1),
        /** Template over the document variables. */
        workflowId: template,
      })
      .strict(),
    document: z
      .object({
        /** Template; the run id belongs in it when the worker's stores carry no run id (rows are found by name). */
        name: template.default('load-test-{runId}-doc-{n}.{extension}'),
        delivery,
      })
      .strict(),
    /** A positional list of templates, or one object argument whose string leaves are templates. */
    arguments: z.union([z.array(z.string()), jsonObject]),
    result: z
      .object({
        /** The field and value that mean success; absent = every completed execution succeeded. */
        success: z
          .object({ field: fieldPath, equals: z.union([z.string(), z.number(), z.boolean()]) })
          .strict()
          .optional(),
        failureReason: fieldPath.optional(),
        documentUuid: fieldPath.optional(),
        /** Where the uuid is when the result has none (a returned failure): a field of an activity's result in the history. */
        documentUuidFromActivity: z
          .object({ activity: z.string().min(1), field: fieldPath })
          .strict()
          .optional(),
        /** The stores the worker says it wrote. */
        stores: fieldPath.optional(),
        /** Where the result says how many chunks and entities it produced. */
        counts: z.object({ chunks: fieldPath.optional(), entities: fieldPath.optional() }).strict().optional(),
        /** The counts are predictable from the document, so apex compares them (false when an LLM decides them). */
        exactCounts: z.boolean().default(false),
      })
      .strict(),
    /** By service: the image and environment the worker's code needs (a PostgreSQL with pgvector, a Neo4j with APOC). */
    stack: z.record(z.enum(SERVICE_NAMES as [ServiceName, ...ServiceName[]]), serviceNeeds).default({}),
    /** The PostgreSQL database the worker writes (its POSTGRES_DB), when it is not the stack's; its checks query it. */
    postgresDatabase: z.string().min(1).optional(),
    verify: perStore(checkFields),
    cleanup: cleanupSchema,
    /** How a store write can be made to fail; absent = it cannot, and fault tests are skipped with that reason. */
    faults: z
      .discriminatedUnion('kind', [
        /** apex's own worker, running in the apex process. */
        z.object({ kind: z.literal('in-process') }).strict(),
        /** A line apex puts into the document; `{store}` names the store whose write must fail. */
        z.object({ kind: z.literal('document-line'), line: template }).strict(),
      ])
      .optional(),
    /** How a compensated failure shows. */
    saga: z
      .discriminatedUnion('failedAs', [
        z.object({ failedAs: z.literal('execution'), failureType: z.string().min(1), compensationActivities: z.array(z.string().min(1)).default([]) }).strict(),
        /** The workflow completes and its result says it failed. */
        z.object({ failedAs: z.literal('result') }).strict(),
      ])
      .optional(),
    /** The worker apex starts for a run; without `command` apex starts none (an external worker). */
    worker: z
      .object({
        command: z.array(template).min(1).optional(),
        cwd: z.string().optional(),
        /** Variable → template over the stack variables. */
        env: z.record(z.string(), z.string()).default({}),
        /** Extra variables by phase id, e.g. { "2c": { MOCK_STORES: "1" } }. */
        phaseEnv: z.record(z.string(), z.record(z.string(), z.string())).default({}),
        /** The worker's Prometheus endpoint (template over the stack variables), e.g. http://127.0.0.1:9091/metrics. */
        metricsUrl: template.optional(),
      })
      .strict()
      .optional(),
    /** The worker's application metrics (at `worker.metricsUrl`): what phase 2E expects there, and how a workload moves them. */
    metrics: z.array(contractMetric).default([]),
    /**
     * The project's own alert rules, which phase 2F checks and drives instead of apex's; absent = apex's rules
     * (templates/prometheus) against apex's own worker.
     */
    alerts: z
      .object({
        /** Prometheus rule files, relative to the config file's directory. */
        ruleFiles: z.array(z.string().min(1)).min(1),
        /** `promtool test rules` files for them, relative to the same directory; none = the unit-test check is skipped. */
        testFiles: z.array(z.string().min(1)).default([]),
        /** Labels every alert must carry. */
        labels: z.array(z.string().min(1)).default(['severity', 'component']),
        /** Annotations every alert must carry. */
        annotations: z.array(z.string().min(1)).default(['summary', 'description', 'runbook_url']),
        /** The scrape job of the worker's metrics endpoint (`worker.metricsUrl`) in the phase's Prometheus. */
        job: z.string().min(1).default('apex-temporal-worker'),
        /** Alerts 2F makes fire and then resolve with the worker, and how each is provoked. */
        drive: z
          .array(
            z.discriminatedUnion('provoke', [
              /** Workflows whose write to `store` fails (through `faults`), then successful ones until it resolves. */
              z.object({ alert: z.string().min(1), provoke: z.literal('failures'), store: z.enum(STORES).default('postgres') }).strict(),
              /** No workflows at all, then successful ones until it resolves. */
              z.object({ alert: z.string().min(1), provoke: z.literal('idle') }).strict(),
            ]),
          )
          .default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Reports every placeholder under `value` that is not among `allowed`, at its key path. */
function checkVariables(value: unknown, allowed: readonly string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    for (const name of placeholders(value).filter((used) => !allowed.includes(used))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path,
        message: `unknown template variable {${name}} here; use one of ${allowed.map((known) => `{${known}}`).join(', ')}`,
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkVariables(item, allowed, [...path, index], ctx));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkVariables(item, allowed, [...path, key], ctx);
  }
}

/** The part of each store's query that selects what a cleanup deletes. */
const SELECTING_FIELD = { postgres: 'sql', neo4j: 'cypher', qdrant: 'filter', redis: 'pattern', s3: 'prefix' } as const satisfies Record<ContractStore, string>;

export const workerContractSchema = contractObject.superRefine((contract, ctx) => {
  const documentScope = [...DOCUMENT_VARIABLES];
  checkVariables(contract.temporal.workflowId, documentScope, ['temporal', 'workflowId'], ctx);
  checkVariables(contract.document, documentScope, ['document'], ctx);
  checkVariables(contract.arguments, documentScope, ['arguments'], ctx);
  for (const [section, entries] of [
    ['verify', contract.verify],
    ['cleanup', contract.cleanup],
  ] as const) {
    for (const store of CONTRACT_STORES) {
      entries[store].forEach((entry, index) => {
        const allowed = entry.scope === 'document' ? [...OUTCOME_VARIABLES] : [...RUN_VARIABLES];
        const templates = Object.fromEntries(Object.entries(entry).filter(([key]) => !['name', 'scope', 'when'].includes(key)));
        checkVariables(templates, allowed, [section, store, index], ctx);
        const selecting = (entry as Record<string, unknown>)[SELECTING_FIELD[store]];
        if (section === 'cleanup' && placeholders(JSON.stringify(selecting)).length === 0) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [section, store, index, SELECTING_FIELD[store]],
            message: 'a cleanup must select its run or document with a {variable} (e.g. {runId}); without one it deletes the same data on every run',
          });
        }
        if ('when' in entry && entry.when && entry.scope === 'run') {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [section, store, index, 'when'],
            message: '`when` applies to document-scope checks only; remove it or use scope: document',
          });
        }
      });
    }
  }
  if (contract.faults?.kind === 'document-line') checkVariables(contract.faults.line, ['store', ...documentScope], ['faults', 'line'], ctx);
  checkVariables(contract.worker, [...STACK_VARIABLES], ['worker'], ctx);
  contract.metrics.forEach((metric, index) => {
    if (metric.moves.length > 0 && metric.type === 'gauge') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['metrics', index, 'moves'],
        message: 'a gauge goes up and down: `moves` applies to counters, and to histograms and summaries (their count of observations)',
      });
    }
    metric.moves.forEach((move, moveIndex) => {
      for (const label of Object.keys(move.where).filter((name) => !metric.labels.includes(name))) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['metrics', index, 'moves', moveIndex, 'where', label],
          message: `label ${label} is not among the metric's labels (${metric.labels.join(', ') || 'none'}); add it to \`labels\``,
        });
      }
    });
  });
});

export type WorkerContract = z.infer<typeof workerContractSchema>;
/** A contract as written, before defaults: what built-ins and overrides are. */
export type WorkerContractInput = z.input<typeof workerContractSchema>;
export type ContractDelivery = WorkerContract['document']['delivery'];
export type VerifyCheck<Store extends ContractStore = ContractStore> = WorkerContract['verify'][Store][number];
export type AlertDrive = NonNullable<WorkerContract['alerts']>['drive'][number];
export type CleanupStatement<Store extends ContractStore = ContractStore> = WorkerContract['cleanup'][Store][number];
