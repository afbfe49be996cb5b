/**
 * The one typed result of a phase run (reports/<phase>/<timestamp>/results.json). Every report (INDEX.md, ISSUES.md,
 * FIXES.md, junit.xml, report.html) renders from it, `apex report` reads it back, and the published JSON Schema
 * (templates/schemas/results.schema.json) is derived from this schema by the build.
 */
import { z } from 'zod';
import { ApexError } from '../errors.js';

export const RESULTS_SCHEMA_VERSION = 1;

const count = () => z.number().int().nonnegative();

export const distributionSchema = z
  .object({ count: count(), min: z.number(), max: z.number(), mean: z.number(), p50: z.number(), p95: z.number(), p99: z.number() })
  .describe("Percentiles by linear interpolation (Hyndman-Fan type 7, numpy's default).");

export const testStatusSchema = z.enum(['passed', 'failed', 'skipped']);

export const checkSchema = z.object({ name: z.string(), expected: z.string(), actual: z.string(), passed: z.boolean() });

/** Evidence of one kind of failure, grouped across the workflows that showed it. */
export const failureEvidenceSchema = z.object({
  source: z.enum(['history', 'worker', 'store', 'client', 'verification']).describe('Where it came from: a workflow history, the worker, a store, the client.'),
  summary: z.string(),
  lines: z.array(z.string()).describe("Verbatim failure messages and causes ('message [type]'), redacted of secrets."),
  workflows: count().describe('How many workflows showed it; 0 when not about workflows.'),
  exampleWorkflowId: z.string().optional(),
});

export const timelinePointSchema = z.object({
  second: count().describe("Seconds since the test's first intended start."),
  completed: count(),
  failed: count(),
});

export const testMetricsSchema = z.object({
  workflowsPlanned: count(),
  workflowsStarted: count(),
  workflowsCompleted: count(),
  workflowsFailed: count(),
  workflowsNotRun: count().describe('Planned but never started, or started and never closed: always a failure.'),
  successRate: z.number().describe('Completed as the test expects (the saga test expects compensated failures).'),
  expectedFailures: count()
    .default(0)
    .describe('Planned workflows the test makes fail on purpose (compensated by the saga, or fed a document no parser accepts): counted apart from successes.'),
  durationMs: z.number().nonnegative().describe('First intended start to last close.'),
  throughputWorkflowsPerSecond: z.number(),
  stateTransitions: count(),
  stateTransitionsPerSecond: z.number(),
  transitionsPerWorkflow: z.number(),
  activityRetries: count().describe('Sum of (attempt - 1) over every activity in the histories, local activities included.'),
  endToEndMs: distributionSchema.optional().describe('Intended start to close, from the histories.'),
  schedulingMs: distributionSchema.optional().describe('Intended start to the first workflow task started.'),
  endToEndSamplesMs: z.array(z.number()).describe('Raw end-to-end latencies, for the histogram.'),
  schedulingSamplesMs: z.array(z.number()),
  timeline: z.array(timelinePointSchema),
});

export const testResultSchema = z.object({
  name: z.string(),
  description: z.string(),
  status: testStatusSchema,
  reason: z.string().optional().describe('Why it failed or was skipped, in one line.'),
  runId: z.string().describe('The run id every workflow of the test carried (rows, nodes, points, keys, objects).'),
  checks: z.array(checkSchema),
  evidence: z.array(failureEvidenceSchema),
  metrics: testMetricsSchema,
});

export const diagnosisSchema = z.object({
  signature: z.string().describe("Knowledge-base signature id, or 'unmatched'."),
  title: z.string(),
  cause: z.string(),
  fix: z.string(),
  tests: z.array(z.string()),
  evidence: z.array(failureEvidenceSchema),
});

export const phaseSummarySchema = z.object({
  passed: count(),
  failed: count(),
  skipped: count(),
  total: count(),
  workflowsExecuted: count().describe('Workflows started in tests that ran.'),
  workflowsSucceeded: count().describe('Workflows expected to succeed that did.'),
  workflowsExpectedToFail: count().default(0).describe('Workflows made to fail on purpose (the saga test, unsupported documents): never counted as successes.'),
  workflowsFailedAsExpected: count()
    .default(0)
    .describe('Of those, the ones that failed the way the test expects (compensated, or with the expected failure type).'),
  throughputWorkflowsPerSecond: z.number(),
  stateTransitionsPerSecond: z.number().describe('Sum of DescribeWorkflowExecution stateTransitionCount over the summed test windows: what bounds the server.'),
  transitionsPerWorkflow: z.number(),
  successRate: z.number().min(0).max(1).describe('workflowsSucceeded over the workflows expected to succeed.'),
  endToEndMs: distributionSchema.optional(),
  schedulingMs: distributionSchema.optional(),
});

export const interruptionSchema = z
  .object({
    reason: z
      .enum(['store-unreachable', 'stack-down', 'signal'])
      .describe('store-unreachable: one service stopped answering; stack-down: several at once (`apex down`); signal: SIGINT or SIGTERM.'),
    store: z.string().optional().describe('The first service that stopped answering.'),
    atMs: z.number().nonnegative().describe('When, in ms since the run started: the first failed probe, or the signal.'),
  })
  .describe(
    'Why the run ended early: it stopped starting workflows, gave those in flight a grace period, terminated those still running, and ran no further test.',
  );

export const decisionSchema = z.enum(['proceed', 'blocked']).describe('proceed only when no test failed, at least one passed, and workflows actually ran.');

const storeCounts = () => z.record(z.string(), count());

/** What the run left in the stores it wrote, counted with the contract's cleanup statements before and after they ran. */
export const runDataSchema = z.object({
  status: z
    .enum(['removed', 'kept', 'not-removed', 'no-stores'])
    .describe(
      'removed: cleaned up at the end of the run; kept: --keep-data; not-removed: a store failed the cleanup (`apex test clean <runId>` retries); no-stores: the phase wrote to no real store.',
    ),
  ledger: z.string().optional().describe('The run ledger beside these reports: what the run wrote, which `apex test clean` reads.'),
  beforeCleanup: storeCounts().describe("Per store: the run's rows, nodes, points, keys or objects its cleanup statements matched before they ran."),
  leftAfterCleanup: storeCounts().describe('Per store: what they still matched afterwards (0 when nothing was left; the count kept with --keep-data).'),
  failures: z.array(z.object({ store: z.string(), reason: z.string() })).describe('Stores whose cleanup or count failed, with the reason.'),
  documentsWithoutUuid: count().describe('Documents whose uuid never became known: a cleanup keyed on the uuid cannot find what the worker wrote for them.'),
});

export const phaseRunResultSchema = z
  .object({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    phase: z.string().describe('Phase id, e.g. 2c.'),
    title: z.string(),
    runId: z.string().describe("Prefix of every test's run id; each test tags its rows, nodes, points, keys and objects with <runId>-<label>."),
    startedAt: z.string().datetime(),
    finishedAt: z.string().datetime(),
    durationMs: z.number().nonnegative(),
    environment: z.object({
      temporalAddress: z.string(),
      namespace: z.string(),
      taskQueue: z.string().describe('The queue actually used: <ingestion.taskQueue>-<runId> for the in-process worker.'),
      workflowType: z.string(),
      worker: z
        .enum(['in-process', 'external', 'started'])
        .describe(
          "in-process: apex's reference worker inside apex; external: a worker already polling; started: the contract's worker command, started by apex for the run.",
        ),
      contract: z.string().default('reference').describe('The label of the worker contract the run drove and verified.'),
      verifies: z.string().default('').describe('What the phase verifies, in one line.'),
      embeddings: z.string(),
      searchAttributes: z.boolean().describe('Whether workflows were tagged with ApexRunId/ApexPhase.'),
      standIns: z
        .array(z.object({ service: z.string(), server: z.string().describe('What answered, as it names itself.') }))
        .default([])
        .describe('Services answered by a stand-in rather than the real server: every check on them says so.'),
      apexVersion: z.string(),
      node: z.string(),
      machine: z.string().default('').describe('Host name and CPU count of the machine that ran the phase, to tell runs of different machines apart.'),
    }),
    options: z.object({
      workflows: count().optional(),
      concurrency: count().optional(),
      durationSeconds: z.number().nonnegative().optional(),
      localCpuSteps: z.boolean(),
      localStoreWrites: z.boolean(),
      eagerStart: z.boolean(),
    }),
    setupEvidence: z.array(failureEvidenceSchema).describe('Failures before any test ran (Temporal or a store unreachable, the worker refusing to start).'),
    tests: z.array(testResultSchema),
    summary: phaseSummarySchema,
    diagnoses: z.array(diagnosisSchema),
    decision: decisionSchema,
    recommendation: z.string(),
    interrupted: interruptionSchema.optional(),
    data: runDataSchema.optional().describe('What the run left in the stores after its cleanup.'),
  })
  .describe(
    "The one typed result of `apex test phase <id>`. Times are milliseconds unless named otherwise; latencies are measured from each workflow's INTENDED start (no coordinated omission) to its close event in the workflow history.",
  );

export type Distribution = z.infer<typeof distributionSchema>;
export type TestStatus = z.infer<typeof testStatusSchema>;
export type Check = z.infer<typeof checkSchema>;
export type FailureEvidence = z.infer<typeof failureEvidenceSchema>;
export type TimelinePoint = z.infer<typeof timelinePointSchema>;
export type TestMetrics = z.infer<typeof testMetricsSchema>;
export type TestResult = z.infer<typeof testResultSchema>;
export type Diagnosis = z.infer<typeof diagnosisSchema>;
export type PhaseSummary = z.infer<typeof phaseSummarySchema>;
export type Interruption = z.infer<typeof interruptionSchema>;
export type Decision = z.infer<typeof decisionSchema>;
export type PhaseRunResult = z.infer<typeof phaseRunResultSchema>;
export type RunData = z.infer<typeof runDataSchema>;

/**
 * Reads a results.json back: a file that is not JSON, that another apex version wrote, or that does not match the
 * schema is answered with what is wrong and the command that writes a new one (for `knownPhase`, when the caller
 * knows which phase wrote it).
 */
export function parseRunResult(text: string, file: string, knownPhase?: string): PhaseRunResult {
  const rerun = (phase: unknown) => {
    const id = knownPhase ?? (typeof phase === 'string' && /^\w+$/.test(phase) ? phase : '<phase>');
    return `Run the phase again (\`apex test phase ${id}\`) to write a new report.`;
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApexError('RESULTS_INVALID', `${file} is not valid JSON (${(error as Error).message}).`, rerun(undefined));
  }
  const { schemaVersion, phase } = (typeof json === 'object' && json !== null ? json : {}) as { schemaVersion?: unknown; phase?: unknown };
  if (schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ApexError(
      'RESULTS_VERSION',
      `${file} has schemaVersion ${JSON.stringify(schemaVersion) ?? '(none)'}; this apex reads version ${RESULTS_SCHEMA_VERSION}.`,
      rerun(phase),
    );
  }
  const parsed = phaseRunResultSchema.safeParse(json);
  if (!parsed.success) {
    throw new ApexError(
      'RESULTS_INVALID',
      `${file} does not match the results schema (templates/schemas/results.schema.json).`,
      rerun(phase),
      1,
      parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
