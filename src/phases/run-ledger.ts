import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { cleanupSchema, CONTRACT_STORES, type ContractStore, type WorkerContract } from '../contracts/schema.js';
import type { TemplateValue } from '../contracts/render.js';
import { reportDirName } from '../reports/report-store.js';

/**
 * A run's ledger: what it wrote, one JSON line per fact, appended as the run goes (reports/<phase>/<run>/ledger.jsonl).
 * It holds what the contract's cleanup statements need ({runId}, {bucket}, {prefix}, each document's variables and
 * uuid), so that another process can remove exactly that run's data later.
 */
export const LEDGER_FILE = 'ledger.jsonl';

const vars = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const storeCounts = z.record(z.enum(CONTRACT_STORES), z.number().int().nonnegative());
export type StoreCounts = Partial<Record<ContractStore, number>>;

const entrySchema = z.discriminatedUnion('kind', [
  /** The run: its contract's cleanup statements and where its PostgreSQL rows live. */
  z.object({
    kind: z.literal('run'),
    runId: z.string(),
    phase: z.string(),
    startedAt: z.string(),
    contract: z.string(),
    postgresDatabase: z.string().optional(),
    cleanup: cleanupSchema,
    keepData: z.boolean(),
  }),
  /** One test's workload: its run id ({runId} of its cleanup) and delivery variables ({bucket}, {prefix}, {folder}). */
  z.object({ kind: z.literal('workload'), runId: z.string(), deliveryVars: vars }),
  /** A document delivered (its S3 key or path among its variables). */
  z.object({ kind: z.literal('document'), runId: z.string(), workflowId: z.string(), vars }),
  z.object({ kind: z.literal('started'), runId: z.string(), workflowId: z.string() }),
  /** What the worker says it wrote for a document: its uuid, and the stores and counts of its result. */
  z.object({
    kind: z.literal('wrote'),
    runId: z.string(),
    workflowId: z.string(),
    documentUuid: z.string().optional(),
    stores: z.array(z.string()).optional(),
    counts: z.record(z.string(), z.number()).optional(),
  }),
  /** A workload's cleanup ran: what its statements matched before and after. */
  z.object({ kind: z.literal('cleaned'), runId: z.string(), before: storeCounts, left: storeCounts }),
  z.object({ kind: z.literal('kept'), reason: z.string() }),
  z.object({ kind: z.literal('ended'), status: z.enum(['passed', 'failed', 'interrupted']) }),
]);
export type LedgerEntry = z.infer<typeof entrySchema>;
type RunEntry = Extract<LedgerEntry, { kind: 'run' }>;

export interface LedgerDocument {
  workflowId: string;
  vars: Record<string, TemplateValue>;
  started: boolean;
}

export interface LedgerWorkload {
  runId: string;
  deliveryVars: Record<string, TemplateValue>;
  documents: LedgerDocument[];
  /** Set once its cleanup ran: what its statements matched before it, and what was left afterwards. */
  before?: StoreCounts;
  left?: StoreCounts;
}

/** The facts of a ledger folded into what a cleanup needs. */
export interface LedgerState {
  run: RunEntry;
  workloads: LedgerWorkload[];
  kept?: string;
  ended?: Extract<LedgerEntry, { kind: 'ended' }>['status'];
  /** Lines that could not be read (a line cut short when the process died). */
  unreadable: number;
}

export interface RunLedger {
  /** The file, or undefined for a run that writes no reports. */
  readonly path: string | undefined;
  record(entry: LedgerEntry): void;
  state(): LedgerState;
}

/** A workload is clean once its cleanup ran and left nothing. */
export const workloadClean = (workload: LedgerWorkload): boolean => workload.left !== undefined && Object.values(workload.left).every((count) => count === 0);

/** Whether the run's data is gone: every workload cleaned with nothing left (a kept run has not been cleaned). */
export const ledgerClean = (state: LedgerState): boolean => state.workloads.every(workloadClean);

export function foldLedger(entries: readonly LedgerEntry[], unreadable = 0): LedgerState {
  const [head, ...rest] = entries;
  if (head?.kind !== 'run') throw new Error('the ledger does not start with its run');
  const state: LedgerState = { run: head, workloads: [], unreadable };
  const workloads = new Map<string, LedgerWorkload>();
  const documentOf = (runId: string, workflowId: string) => workloads.get(runId)?.documents.find((document) => document.workflowId === workflowId);
  for (const entry of rest) {
    switch (entry.kind) {
      case 'workload': {
        const workload: LedgerWorkload = { runId: entry.runId, deliveryVars: entry.deliveryVars, documents: [] };
        workloads.set(entry.runId, workload);
        state.workloads.push(workload);
        break;
      }
      case 'document':
        workloads.get(entry.runId)?.documents.push({ workflowId: entry.workflowId, vars: entry.vars, started: false });
        break;
      case 'started': {
        const document = documentOf(entry.runId, entry.workflowId);
        if (document) document.started = true;
        break;
      }
      case 'wrote': {
        const document = documentOf(entry.runId, entry.workflowId);
        if (document && entry.documentUuid !== undefined) document.vars = { ...document.vars, documentUuid: entry.documentUuid };
        break;
      }
      case 'cleaned': {
        const workload = workloads.get(entry.runId);
        if (workload) Object.assign(workload, { before: entry.before, left: entry.left });
        break;
      }
      case 'kept':
        state.kept = entry.reason;
        break;
      case 'ended':
        state.ended = entry.status;
        break;
      case 'run':
        break;
    }
  }
  return state;
}

/** Reads a ledger back; a line cut short (the process died while writing it) is counted and skipped. */
export function readLedger(path: string): LedgerState {
  const entries: LedgerEntry[] = [];
  let unreadable = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = entrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
      else unreadable++;
    } catch {
      unreadable++;
    }
  }
  return foldLedger(entries, unreadable);
}

/** Starts a run's ledger: at `path` (written line by line as the run goes), or in memory only. */
export function openRunLedger(
  path: string | undefined,
  run: { runId: string; phase: string; startedAt: Date; contract: WorkerContract; keepData: boolean },
): RunLedger {
  const entries: LedgerEntry[] = [];
  if (path) mkdirSync(dirname(path), { recursive: true });
  const ledger: RunLedger = {
    path,
    record(entry) {
      entries.push(entry);
      if (path) appendFileSync(path, `${JSON.stringify(entry)}\n`);
    },
    state: () => foldLedger(entries),
  };
  ledger.record({
    kind: 'run',
    runId: run.runId,
    phase: run.phase,
    startedAt: run.startedAt.toISOString(),
    contract: run.contract.label,
    postgresDatabase: run.contract.postgresDatabase,
    cleanup: run.contract.cleanup,
    keepData: run.keepData,
  });
  if (run.keepData) ledger.record({ kind: 'kept', reason: '--keep-data' });
  return ledger;
}

/** Where a run's ledger goes: beside its reports (reports/<phase>/<run>/ledger.jsonl). */
export const ledgerPath = (reportsRoot: string, phase: string, startedAt: Date): string =>
  join(reportsRoot, phase, reportDirName(startedAt.toISOString()), LEDGER_FILE);

/** Appends to a ledger read back from its file (what `apex test clean` records). */
export function appendToLedger(path: string, entry: LedgerEntry): void {
  appendFileSync(path, `${JSON.stringify(entry)}\n`);
}

/** Every ledger under a reports folder (reports/<phase>/<run>/ledger.jsonl), oldest first. */
export function findLedgers(reportsRoot: string): string[] {
  if (!existsSync(reportsRoot)) return [];
  return readdirSync(reportsRoot, { withFileTypes: true })
    .filter((phase) => phase.isDirectory())
    .flatMap((phase) =>
      readdirSync(join(reportsRoot, phase.name), { withFileTypes: true })
        .filter((run) => run.isDirectory())
        .map((run) => join(reportsRoot, phase.name, run.name, LEDGER_FILE)),
    )
    .filter((path) => existsSync(path))
    .sort();
}
