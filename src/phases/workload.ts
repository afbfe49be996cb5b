import { WorkflowFailedError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../config/search-attributes.js';
import { errorMessage } from '../errors.js';
import type { IngestionInput, IngestionResult } from '../results/ingestion-contract.js';
import type { FaultPlan } from '../ingestion/fault-injection.js';
import type { RunCounts } from '../results/store-writer.js';
import { runPrefix } from '../services/s3/counts.js';
import { syntheticDocument, type CorpusDocument } from './corpus.js';
import { fetchHistorySummaries, type HistorySummary } from './histories.js';
import { generateLoad, type LoadModel } from './load-generator.js';
import type { PhaseContext } from './phase-context.js';
import type { FailureEvidence } from '../results/run-result.js';

const APEX_RUN_ID = defineSearchAttributeKey(SEARCH_ATTRIBUTES.runId, SearchAttributeType.KEYWORD);
const APEX_PHASE = defineSearchAttributeKey(SEARCH_ATTRIBUTES.phase, SearchAttributeType.KEYWORD);

export interface WorkloadSpec {
  /** Short name, part of the run id: <phase run id>-<label>. */
  label: string;
  count: number;
  model: LoadModel;
  durationMs?: number;
  faults?: FaultPlan;
  taskQueue?: string;
  timeoutSeconds: number;
  /** Runs once every workflow is submitted, before results are awaited (the backlog test starts its worker). */
  afterSubmit?: () => Promise<void>;
  /** The documents; synthetic ones by default. */
  document?: (index: number) => Promise<CorpusDocument>;
}

export interface WorkflowOutcome {
  index: number;
  workflowId: string;
  document: CorpusDocument;
  intendedStart: number;
  submittedAt?: number;
  submitError?: string;
  result?: IngestionResult;
  clientError?: string[];
  history?: HistorySummary;
}

export interface WorkloadRun {
  runId: string;
  planned: number;
  outcomes: WorkflowOutcome[];
  uploaded: number;
  counts: Partial<RunCounts>;
  countErrors: FailureEvidence[];
  firstIntendedStart: number;
  /** When the last workflow was submitted (before afterSubmit ran). */
  allSubmittedAt: number;
}

function errorChain(error: unknown): string[] {
  const lines: string[] = [];
  for (let current = error as (Error & { cause?: unknown; type?: string }) | undefined; current; current = current.cause as typeof current) {
    lines.push(`${errorMessage(current)}${current.type ? ` [${current.type}]` : ''}`);
    if (!(current instanceof Error)) break;
  }
  return lines;
}

/** Uploads, starts and awaits the workflows of one test, then reads their histories and the stores' counts. */
export async function runWorkload(ctx: PhaseContext, spec: WorkloadSpec): Promise<WorkloadRun> {
  const runId = `${ctx.runId}-${spec.label}`;
  const makeDocument = spec.document ?? syntheticDocument;
  const outcomes: WorkflowOutcome[] = [];
  const pending: Promise<void>[] = [];
  let uploaded = 0;
  const prepared = new Map<number, CorpusDocument>();
  const prepare = async (index: number): Promise<CorpusDocument> => {
    const document = prepared.get(index) ?? (await makeDocument(index));
    if (!prepared.has(index)) {
      await ctx.environment.upload(`${runPrefix(runId)}${document.documentId}`, document);
      uploaded++;
    }
    return document;
  };
  // A fixed count is uploaded before the clock starts; a duration run uploads as it goes.
  if (spec.durationMs === undefined) for (let index = 0; index < spec.count; index++) prepared.set(index, await prepare(index));
  if (spec.faults) ctx.faults?.plan(runId, spec.faults);
  ctx.progress.testStarted(spec.label, spec.durationMs === undefined ? spec.count : undefined);
  const taskQueue = spec.taskQueue ?? ctx.taskQueue;
  const load = await generateLoad(
    { model: spec.model, count: spec.durationMs === undefined ? spec.count : undefined, durationMs: spec.durationMs },
    ctx.clock,
    async (index, intendedStart) => {
      const document = await prepare(index);
      const outcome: WorkflowOutcome = { index, workflowId: `${runId}-${String(index).padStart(5, '0')}`, document, intendedStart };
      outcomes.push(outcome);
      const input: IngestionInput = {
        runId,
        documentId: document.documentId,
        bucket: ctx.environment.bucket,
        key: `${runPrefix(runId)}${document.documentId}`,
        options: { localCpuSteps: ctx.localCpuSteps, localStoreWrites: ctx.localStoreWrites },
      };
      try {
        const handle = await ctx.client.workflow.start(ctx.workflowType, {
          taskQueue,
          workflowId: outcome.workflowId,
          args: [input],
          workflowExecutionTimeout: `${spec.timeoutSeconds}s`,
          requestEagerStart: ctx.eagerStart && taskQueue === ctx.taskQueue,
          typedSearchAttributes: ctx.searchAttributes
            ? new TypedSearchAttributes([
                { key: APEX_RUN_ID, value: runId },
                { key: APEX_PHASE, value: ctx.phase },
              ])
            : undefined,
        });
        outcome.submittedAt = ctx.clock.now();
        const completion = handle.result().then(
          (result: IngestionResult) => {
            outcome.result = result;
            ctx.progress.workflowClosed(true);
          },
          (error: unknown) => {
            outcome.clientError = errorChain(error instanceof WorkflowFailedError ? (error.cause ?? error) : error);
            ctx.progress.workflowClosed(false);
          },
        );
        if (spec.model.kind === 'closed') await completion;
        else pending.push(completion);
      } catch (error) {
        outcome.submitError = errorChain(error).join(' ← ');
        ctx.progress.workflowClosed(false);
      }
    },
  );
  const allSubmittedAt = ctx.clock.now();
  await spec.afterSubmit?.();
  await Promise.all(pending);
  ctx.faults?.clear(runId);
  const histories = await fetchHistorySummaries(
    ctx.client,
    outcomes.filter((outcome) => outcome.submittedAt !== undefined).map((outcome) => outcome.workflowId),
  );
  for (const outcome of outcomes) outcome.history = histories.get(outcome.workflowId);
  outcomes.sort((a, b) => a.index - b.index);
  const { counts, errors } = await ctx.environment.counts(runId);
  return {
    runId,
    planned: spec.durationMs === undefined ? spec.count : load.started,
    outcomes,
    uploaded,
    counts,
    countErrors: errors,
    firstIntendedStart: load.firstIntendedStart,
    allSubmittedAt,
  };
}
