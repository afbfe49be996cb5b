import { WorkflowFailedError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../config/search-attributes.js';
import { errorMessage } from '../errors.js';
import { renderArguments, renderTemplate, type TemplateValue } from '../contracts/render.js';
import { readResult, type ContractResult } from '../contracts/result.js';
import type { FaultPlan } from '../ingestion/fault-injection.js';
import type { StoreName } from '../results/ingestion-contract.js';
import { syntheticDocument, type CorpusDocument } from './corpus.js';
import { openDocumentDelivery, type DocumentDelivery } from './document-delivery.js';
import { fetchHistorySummaries, type HistorySummary } from './histories.js';
import { generateLoad, type LoadModel } from './load-generator.js';
import type { PhaseContext } from './phase-context.js';
import { settledWithinGrace } from './phase-interruption.js';

const APEX_RUN_ID = defineSearchAttributeKey(SEARCH_ATTRIBUTES.runId, SearchAttributeType.KEYWORD);
const APEX_PHASE = defineSearchAttributeKey(SEARCH_ATTRIBUTES.phase, SearchAttributeType.KEYWORD);

export interface WorkloadSpec {
  /** Short name, part of the run id: <phase run id>-<label>. */
  label: string;
  count: number;
  model: LoadModel;
  durationMs?: number;
  /** Transient faults for apex's in-process worker (the retry test). */
  faults?: FaultPlan;
  /** The store whose write must fail in every workflow (the saga test), provoked as the contract's `faults` says. */
  failingStore?: StoreName;
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
  /** The document's variables: its name, where it was delivered, the workflow's levers. */
  vars: Record<string, TemplateValue>;
  intendedStart: number;
  submittedAt?: number;
  submitError?: string;
  /** The completed execution's return value, as the worker sent it. */
  result?: unknown;
  /** That value read through the contract's `result` fields. */
  read?: ContractResult;
  clientError?: string[];
  history?: HistorySummary;
}

export interface WorkloadRun {
  runId: string;
  planned: number;
  outcomes: WorkflowOutcome[];
  uploaded: number;
  /** The run's delivery variables: {bucket}, {prefix} or {folder}. */
  deliveryVars: Record<string, TemplateValue>;
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

const INTERRUPTED_HISTORY_MS = 10_000;

const withinMs = <T>(work: Promise<T>, ms: number, fallback: T): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([work.catch(() => fallback), late]).finally(() => clearTimeout(timer));
};

/**
 * Terminates the workflows of an interrupted run still open after the grace, so that no worker (the team's carries on
 * after apex exits) writes documents of the run after its cleanup. Bounded: Temporal itself may be what went away.
 */
async function terminateUnfinished(ctx: PhaseContext, outcomes: readonly WorkflowOutcome[]): Promise<void> {
  const open = outcomes.filter((outcome) => outcome.submittedAt !== undefined && !outcome.read && !outcome.clientError);
  if (open.length === 0) return;
  const reason = `run ${ctx.runId} ended early (apex test phase): the workflow was still running after the grace`;
  const settled = await withinMs(
    Promise.allSettled(open.map((outcome) => ctx.client.workflow.getHandle(outcome.workflowId).terminate(reason))),
    INTERRUPTED_HISTORY_MS,
    [],
  );
  const terminated = settled.filter((attempt) => attempt.status === 'fulfilled').length;
  ctx.progress.note(
    terminated === open.length
      ? `terminated ${terminated} workflow(s) still running after the grace`
      : `terminated ${terminated} of ${open.length} workflow(s) still running after the grace; Temporal did not answer for the others`,
  );
}

const withLine = (document: CorpusDocument, line: string): CorpusDocument => ({
  ...document,
  body: new Uint8Array([...document.body, ...new TextEncoder().encode(`\n${line}\n`)]),
});

/**
 * Delivers the documents, starts and awaits the workflows of one test as the worker contract says (names,
 * arguments, ids), then reads their histories and their results through the contract.
 */
export async function runWorkload(ctx: PhaseContext, spec: WorkloadSpec): Promise<WorkloadRun> {
  const runId = `${ctx.runId}-${spec.label}`;
  const { contract } = ctx;
  const makeDocument = spec.document ?? syntheticDocument;
  const faultLine =
    spec.failingStore && contract.faults?.kind === 'document-line' ? renderTemplate(contract.faults.line, { store: spec.failingStore }) : undefined;
  const delivery: DocumentDelivery = await openDocumentDelivery({
    delivery: contract.document.delivery,
    vars: { runId, phase: ctx.phase },
    projectDir: ctx.projectDir,
    upload: (bucket, key, document) => ctx.environment.upload(bucket, key, document),
  });
  ctx.ledger.record({ kind: 'workload', runId, deliveryVars: delivery.runVars });
  const outcomes: WorkflowOutcome[] = [];
  const pending: Promise<void>[] = [];
  let uploaded = 0;
  const prepared = new Map<number, { document: CorpusDocument; vars: Record<string, TemplateValue> }>();
  const prepare = async (index: number) => {
    const known = prepared.get(index);
    if (known) return known;
    const generated = await makeDocument(index);
    const document = faultLine ? withLine(generated, faultLine) : generated;
    const extension = document.documentId.split('.').pop() ?? 'txt';
    const base = { runId, phase: ctx.phase, n: String(index).padStart(5, '0'), index, extension };
    const documentName = renderTemplate(contract.document.name, base);
    const vars = {
      ...base,
      documentName,
      ...delivery.runVars,
      ...delivery.locate(documentName),
      localCpuSteps: ctx.localCpuSteps,
      localStoreWrites: ctx.localStoreWrites ?? true,
    };
    ctx.ledger.record({ kind: 'document', runId, workflowId: renderTemplate(contract.temporal.workflowId, vars), vars });
    await delivery.deliver(documentName, document);
    uploaded++;
    prepared.set(index, { document, vars });
    return { document, vars };
  };
  try {
    // A fixed count is delivered before the clock starts; a duration run delivers as it goes.
    if (spec.durationMs === undefined) for (let index = 0; index < spec.count; index++) await prepare(index);
    if (spec.faults) ctx.faults?.plan(runId, spec.faults);
    if (spec.failingStore && contract.faults?.kind === 'in-process') ctx.faults?.plan(runId, { permanent: [`write_${spec.failingStore}`] });
    ctx.progress.testStarted(spec.label, spec.durationMs === undefined ? spec.count : undefined);
    const taskQueue = spec.taskQueue ?? ctx.taskQueue;
    const load = await generateLoad(
      { model: spec.model, count: spec.durationMs === undefined ? spec.count : undefined, durationMs: spec.durationMs, signal: ctx.interruption.signal },
      ctx.clock,
      async (index, intendedStart) => {
        const { document, vars } = await prepare(index);
        const outcome: WorkflowOutcome = { index, workflowId: renderTemplate(contract.temporal.workflowId, vars), document, vars, intendedStart };
        outcomes.push(outcome);
        try {
          const handle = await ctx.client.workflow.start(ctx.workflowType, {
            taskQueue,
            workflowId: outcome.workflowId,
            args: renderArguments(contract.arguments, vars),
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
          ctx.ledger.record({ kind: 'started', runId, workflowId: outcome.workflowId });
          const completion = handle.result().then(
            (result: unknown) => {
              outcome.result = result;
              outcome.read = readResult(contract.result, result);
              const { documentUuid, stores, counts } = outcome.read;
              ctx.ledger.record({ kind: 'wrote', runId, workflowId: outcome.workflowId, documentUuid, stores, counts });
              ctx.progress.workflowClosed(outcome.read.succeeded);
            },
            (error: unknown) => {
              outcome.clientError = errorChain(error instanceof WorkflowFailedError ? (error.cause ?? error) : error);
              ctx.progress.workflowClosed(false);
            },
          );
          // Once the phase is interrupted, a workflow still running at the end of the grace is terminated below.
          if (spec.model.kind === 'closed') await settledWithinGrace(completion, ctx.interruption);
          else pending.push(completion);
        } catch (error) {
          outcome.submitError = errorChain(error).join(' ← ');
          ctx.progress.workflowClosed(false);
        }
      },
    );
    const allSubmittedAt = ctx.clock.now();
    await spec.afterSubmit?.();
    await settledWithinGrace(Promise.all(pending), ctx.interruption);
    if (ctx.interruption.signal.aborted) await terminateUnfinished(ctx, outcomes);
    ctx.faults?.clear(runId);
    const uuidActivity = contract.result.documentUuidFromActivity;
    const reading = fetchHistorySummaries(
      ctx.client,
      outcomes.filter((outcome) => outcome.submittedAt !== undefined).map((outcome) => outcome.workflowId),
      uuidActivity ? { activityResults: [uuidActivity.activity] } : undefined,
    );
    // An interrupted phase reads the histories it can within a bound: Temporal itself may be what went away.
    const histories = ctx.interruption.signal.aborted ? await withinMs(reading, INTERRUPTED_HISTORY_MS, new Map<string, HistorySummary>()) : await reading;
    for (const outcome of outcomes) outcome.history = histories.get(outcome.workflowId);
    outcomes.sort((a, b) => a.index - b.index);
    return {
      runId,
      planned: spec.durationMs === undefined ? spec.count : load.started,
      outcomes,
      uploaded,
      deliveryVars: delivery.runVars,
      firstIntendedStart: load.firstIntendedStart,
      allSubmittedAt,
    };
  } finally {
    await delivery.close({ keepData: ctx.keepData });
  }
}
