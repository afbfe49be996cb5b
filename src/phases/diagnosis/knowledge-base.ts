import { OBSERVABILITY_SIGNATURES } from './observability-signatures.js';

/**
 * Known failure signatures: what the evidence looks like, what causes it, and the fix. The bugs that made every workflow fail first.
 * Order matters: the first signature that matches a piece of evidence explains it.
 */
export interface Signature {
  id: string;
  title: string;
  /** Tested against every evidence line (and the summary). */
  pattern: RegExp;
  cause: string;
  /** A text, or one that names the stack's configured addresses. */
  fix: string | ((at: FixEndpoints) => string);
}

/** The stack's configured addresses that fix texts name (from apex.config.yaml, not the default ports). */
export interface FixEndpoints {
  temporalUi: string;
  temporalMetrics: string;
  s3: string;
}

export const SIGNATURES: readonly Signature[] = [
  ...OBSERVABILITY_SIGNATURES,
  {
    id: 'activity-name-mismatch',
    title: 'Activity name mismatch',
    pattern:
      /ACTIVITY_NAME_MISMATCH|does not register \d+ activit|is not registered on this worker|Activity function \S+ is not registered|Activity type \S+ (is )?not (found|registered)|unregistered activity/i,
    cause:
      'The workflow schedules activities by name, and the worker registers them under other names, so every workflow fails on its first activity: 0 of 100 workflows ran while the tests still looked green.',
    fix: 'Register each activity under exactly the name the workflow calls: TypeScript, the key in the activities object; Python, `@activity.defn(name="download_from_s3")`. `apex worker` refuses to start and names the missing ones.',
  },
  {
    id: 'workflow-type-not-registered',
    title: 'Workflow type not registered on the worker',
    pattern: /Workflow function \S+ not found|Failed to initialize workflow of type|workflow type \S+ (is )?not (found|registered)/i,
    cause: 'The client starts a workflow type that the worker polling the task queue does not know.',
    fix: "Make `contract.temporal.workflowType` in apex.config.yaml (for apex's own worker, `ingestion.workflowType`) match the type the worker registers, or register the workflow under that name.",
  },
  {
    id: 'sdk-argument-shape',
    title: "Workflow arguments do not match the workflow's run() signature",
    pattern:
      /WorkflowArgumentShape|takes ONE object argument|missing \d+ required positional argument|takes \d+ positional arguments? but \d+ (was|were) given|unexpected keyword argument|Expected value of type .*IngestionInput|Failed decoding arguments|failed to decode|Unable to decode/i,
    cause:
      'The workflow task could not bind the arguments it was started with: another number or order of positional values than run() takes, or one object where run() takes positional values (or the reverse). In the Python SDK, several values go together in one list: `args=[document_id, source, bucket, prefix]`.',
    fix: 'Make `contract.arguments` in apex.config.yaml match the workflow\'s run() signature: a list of templates for positional values (e.g. `["{documentName}", "load-test", "{bucket}", "{prefix}"]`), or one object for a single input argument.',
  },
  {
    id: 's3-endpoint-missing',
    title: 'S3 endpoint not set: the SDK went to AWS',
    pattern:
      /amazonaws\.com|InvalidAccessKeyId|The AWS Access Key Id you provided does not exist|security token included in the request is invalid|Could not connect to the endpoint URL/i,
    cause: 'download_from_s3 has no S3 endpoint, so the AWS SDK resolved the real AWS S3 instead of the local emulator.',
    fix: (at) =>
      `Set S3_ENDPOINT_URL=${at.s3} (and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION) in the worker's environment; apex's worker reads it, or the stack's S3 endpoint.`,
  },
  {
    id: 'missing-extension-or-content-type',
    title: 'Document type unknown: no Content-Type and no usable extension',
    pattern: /UnsupportedDocumentType|unsupported document type|unsupported file (type|extension)|Unknown file type|no usable Content-Type/i,
    cause:
      "The parser takes the type from the S3 Content-Type and falls back to the document id's extension; here neither named a supported type (a worker that downloads to a temp file with a random suffix loses the extension).",
    fix: 'Upload documents with a Content-Type, keep the extension in the document id (doc.txt, doc.pdf), and make the worker fall back to the extension. Supported: txt, md, html, pdf.',
  },
  {
    id: 'uuid-like',
    title: 'LIKE on a uuid column',
    pattern: /operator does not exist: uuid ~~|uuid ~~ unknown/i,
    cause: 'A query used LIKE on a uuid column; PostgreSQL has no LIKE for uuid.',
    fix: 'Filter by run_id (= $1) or by file_name LIKE, or cast explicitly (uuid::text LIKE ...). apex counts by run_id.',
  },
  {
    id: 'schema-not-migrated',
    title: 'Store schema missing (not seeded)',
    pattern: /relation "\w+" does not exist|Collection `?\S+`? doesn't exist|NoSuchBucket|The specified bucket does not exist|Not found: Collection/i,
    cause: 'A table, collection or bucket the workflow writes to does not exist: the stores were not migrated and seeded.',
    fix: 'Run `apex seed` (applies the migrations, creates the Qdrant collection and the S3 buckets), then re-run the phase.',
  },
  {
    id: 'rate-limit',
    title: 'Rate limited (HTTP 429)',
    pattern: /HTTP 429|\[RateLimited\]|rate limit|Too Many Requests|RESOURCE_EXHAUSTED/i,
    cause: "A provider (the embeddings API, or the Temporal server's RPS limits) rejected requests for exceeding its rate.",
    fix: "Lower --concurrency, raise the provider's limits, or use `ingestion.embeddings.provider: local`; the openai provider already backs off on 429 and honours Retry-After.",
  },
  {
    id: 'temporal-namespace-missing',
    title: 'Temporal namespace does not exist',
    pattern: /Temporal RPC \S+ failed in namespace \S+: NOT_FOUND: Namespace \S+ is not found/i,
    cause:
      'The Temporal server has no namespace named `ingestion.namespace`, so it cannot list its search attributes, describe its task queues or start workflows in it.',
    fix: 'Run `apex seed` (it registers the namespace with its search attributes), or set `ingestion.namespace` in apex.config.yaml to a namespace that exists.',
  },
  {
    id: 'temporal-rpc-denied',
    title: 'Temporal refused the client',
    pattern: /Temporal RPC \S+ failed in namespace \S+: (UNAUTHENTICATED|PERMISSION_DENIED)|^temporal at \S+ refused /i,
    cause:
      "The Temporal server rejected apex's requests: the client presented no identity it accepts (no API key or client certificate, or a wrong or expired one), or one without rights to this namespace.",
    fix: 'Give apex credentials the server accepts for this namespace: an API key in TEMPORAL_API_KEY (.env or the environment; sent over TLS on the external runtime), or the client certificate and key under `services.temporal.tls` (certFile, keyFile, caFile) in apex.config.yaml.',
  },
  {
    id: 'no-worker-polling',
    title: 'No worker polling the task queue',
    pattern: /no worker is polling|NO_POLLERS|never started a workflow task/i,
    cause: 'Workflows were queued but no worker picked them up: the worker is not running, or polls another namespace or task queue.',
    fix: "Start the worker on the contract's queue (`contract.temporal.taskQueue` and `.namespace`; `apex worker` for the reference contract), give the contract a `worker.command` so that apex starts it, or drop --external-worker to use apex's in-process worker.",
  },
  {
    id: 'workflow-never-closed',
    title: 'Workflows still running when the test ended',
    pattern: /the workflow never closed/i,
    cause: 'The client stopped waiting before these workflows closed: it lost its connection (a Temporal restart), or the worker stalled on them.',
    fix: (at) => `Look them up in the Temporal UI (${at.temporalUi}) by the example workflow id; check the server's uptime and log, then re-run the phase.`,
  },
  {
    id: 'timeout',
    title: 'Timeouts',
    pattern: /timed out|TIMEOUT_TYPE|\[timeout |WorkflowExecutionTimedOut|DEADLINE_EXCEEDED|deadline exceeded|ETIMEDOUT/i,
    cause: 'An activity or workflow ran past its timeout: a slow or stuck store, an overloaded worker, or a timeout set too low for this load.',
    fix: 'Look at the activity named in the evidence; check that store with `apex status`; raise `phases.<id>.workflowTimeoutSeconds` or lower --concurrency if the machine is saturated.',
  },
  {
    id: 'store-unreachable',
    title: 'Store unreachable',
    pattern:
      /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|ServiceUnavailable|Connection refused|connect ECONN|Could not perform discovery|Failed to connect|Connection is closed|getaddrinfo|fetch failed|UNAVAILABLE|tcp connect error|transport error/i,
    cause: 'A store (or Temporal) did not accept connections from the worker, the client or the verification: it is down, restarting, or on another address.',
    fix: 'Check the store named in the evidence with `apex status`; start the stack with `apex up`, or fix its host/port under `services.<name>` in apex.config.yaml.',
  },
  {
    id: 'authentication',
    title: 'Authentication failed',
    pattern: /password authentication failed|WRONGPASS|NOAUTH|Unauthorized|authentication failure|The client is unauthorized/i,
    cause: 'A store rejected the credentials in .env.',
    fix: 'Make .env match the running stack (`apex init` writes one; the stack must be recreated after a password change: `apex down --volumes && apex up`).',
  },
  {
    id: 'temporal-rpc-failed',
    title: 'Temporal request failed',
    pattern: /Temporal RPC \S+ failed in namespace/i,
    cause: 'A request apex makes before the first workflow failed with the gRPC status in the evidence: the server answered, but not with what was asked.',
    fix: 'Read the status and message in the evidence; check the server with `apex status` and its log with `apex logs temporal`, then re-run the phase.',
  },
  {
    id: 'document-rejected',
    title: 'Document rejected by the parser',
    pattern: /\[CorruptDocument\]|\[EmptyDocument\]|\[DocumentTooLarge\]|\[DocumentNotFound\]/,
    cause: 'A document was corrupt, empty, too large or missing; the workflow failed before writing anything.',
    fix: 'Fix or remove the document named in the evidence; the limits are in src/ingestion/limits.ts.',
  },
  {
    id: 'result-fields',
    title: "The workflow's result lacks the contract's result fields",
    pattern: /the workflow's result lacks the contract's result fields/i,
    cause:
      'The worker returns another shape than the contract reads: a field that says success, the failure reason, the document uuid or the stores written is missing or of another type.',
    fix: "Point `contract.result` in apex.config.yaml (success.field, failureReason, documentUuid, stores) at the fields the worker's result holds; the evidence shows a returned value.",
  },
  {
    id: 'returned-failure',
    title: 'The worker returned a failed result',
    pattern: /the workflow returned a failure/i,
    cause:
      "The execution completed, but its result says the ingestion failed (the worker caught the error and returned it, as the contract's `result.success` reads it).",
    fix: "Read the failure reason in the evidence and the worker's log (`apex test phase` adds the last lines of a worker it started); fix the failing step, then re-run the phase.",
  },
  {
    id: 'contract-query-failed',
    title: 'A store query of the worker contract failed',
    pattern: /the contract's query "[^"]*" failed|not ready before the phase/i,
    cause:
      "A query that verifies or cleans up the worker's data could not run: the store is unreachable, or the table, label, collection or bucket it names does not exist in the worker's schema.",
    fix: "Check the store (`apex status`), then the query in `contract.verify` of apex.config.yaml against the worker's schema: the evidence names the store, the query and its error. `apex seed` creates apex's own tables; the worker's schema is the worker's to apply.",
  },
  {
    id: 'worker-under-test-not-polling',
    title: 'The worker under test did not start polling',
    pattern: /the worker under test did not start polling|the worker under test \(.*\) (exited|did not poll)/i,
    cause:
      "apex started the contract's worker command, and it exited or did not poll the contract's task queue in time: a missing dependency, a wrong variable, or another queue or namespace.",
    fix: "Read the worker's last lines in the evidence; check `contract.worker.command`, `cwd` and `env` in apex.config.yaml, and that the worker reads TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE (or the names `contract.worker.env` gives them).",
  },
  {
    id: 'count-mismatch',
    title: 'Stores hold different counts than the workflows wrote',
    pattern: /store counts differ|workflow result differs from its document/i,
    cause:
      'The stores do not hold exactly what the completed workflows wrote: lost or duplicated writes, workflows the client lost track of that completed later, or someone else changing the store during the run (`apex reset`, or another suite sharing it).',
    fix: 'Compare the per-store counts in the evidence; re-run with --keep-data and inspect the run id in each store.',
  },
  {
    id: 'threshold-missed',
    title: 'Performance below the configured threshold',
    pattern: /: expected [≤≥] /,
    cause: 'Every workflow did its work, but a latency or throughput figure missed its threshold.',
    fix: 'Compare with the previous run in FIXES.md; on a loaded or smaller machine adjust the threshold under `phases.<id>` in apex.config.yaml, otherwise find the slow step in the histories.',
  },
];
