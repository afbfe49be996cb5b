import { dirname } from 'node:path';
import type { LoadedStack } from '../config/stack-context.js';
import { ApexError, errorMessage } from '../errors.js';
import { openContractStores } from './contract-stores.js';
import { cleanRun } from './run-cleanup.js';
import { appendToLedger, findLedgers, ledgerClean, readLedger, type LedgerState, type StoreCounts } from './run-ledger.js';

/** A run whose ledger says its data is still in the stores. */
export interface RunWithLeftovers {
  runId: string;
  phase: string;
  startedAt: string;
  contract: string;
  /** kept: --keep-data; left: its cleanup did not run or did not finish (a store was down, the run was cut short). */
  reason: 'kept' | 'left';
  /** How the run ended, when it got that far. */
  ended?: string;
  workloads: number;
  documents: number;
  reportDir: string;
}

export interface RunList {
  apiVersion: 1;
  runs: RunWithLeftovers[];
}

export interface CleanedRun {
  runId: string;
  phase: string;
  reportDir: string;
  /** What the run's cleanup statements matched per store before they ran, and after. */
  beforeCleanup: StoreCounts;
  leftAfterCleanup: StoreCounts;
  documentsWithoutUuid: number;
}

export interface CleanResult {
  apiVersion: 1;
  runs: CleanedRun[];
}

interface Ledger {
  path: string;
  state: LedgerState;
}

function ledgersWithLeftovers(reportsRoot: string): Ledger[] {
  return findLedgers(reportsRoot)
    .map((path) => ({ path, state: readLedger(path) }))
    .filter((ledger) => !ledgerClean(ledger.state));
}

/** `apex test clean --list`: the runs whose ledger says they left data behind, oldest first. */
export function listRunsWithLeftovers(reportsRoot: string): RunList {
  return {
    apiVersion: 1,
    runs: ledgersWithLeftovers(reportsRoot).map(({ path, state }) => ({
      runId: state.run.runId,
      phase: state.run.phase,
      startedAt: state.run.startedAt,
      contract: state.run.contract,
      reason: state.kept === undefined ? 'left' : 'kept',
      ended: state.ended,
      workloads: state.workloads.length,
      documents: state.workloads.reduce((total, workload) => total + workload.documents.length, 0),
      reportDir: dirname(path),
    })),
  };
}

export interface CleanRunsOptions {
  loaded: LoadedStack;
  reportsRoot: string;
  /** One run id; undefined with `all`. */
  runId?: string;
  all: boolean;
}

function selectLedgers(options: CleanRunsOptions): Ledger[] {
  const leftovers = ledgersWithLeftovers(options.reportsRoot);
  if (options.all) return leftovers;
  const ledger = findLedgers(options.reportsRoot)
    .map((path) => ({ path, state: readLedger(path) }))
    .find(({ state }) => state.run.runId === options.runId);
  if (!ledger) {
    throw new ApexError(
      'RUN_NOT_FOUND',
      `No run ${options.runId} has a ledger under ${options.reportsRoot}.`,
      'List the runs that left data with `apex test clean --list` (add --reports-dir when the reports are elsewhere).',
      2,
    );
  }
  return ledgerClean(ledger.state) ? [] : [ledger];
}

/**
 * `apex test clean [RUN | --all]`: removes exactly what each run's ledger says it wrote, through its contract's
 * cleanup statements, counts what is left per store, and marks the run clean in its ledger. A store that does not
 * answer fails the command naming it (exit 1); the ledger is kept for the next try.
 */
export async function cleanRuns(options: CleanRunsOptions): Promise<CleanResult> {
  const ledgers = selectLedgers(options);
  const runs: CleanedRun[] = [];
  const failures: string[] = [];
  for (const { path, state } of ledgers) {
    const stores = await openContractStores(options.loaded, state.run.postgresDatabase).catch((error: unknown) => {
      throw new ApexError(
        'STORE_UNREACHABLE',
        `Cannot clean run ${state.run.runId}: ${errorMessage(error)}.`,
        `Start the stack (\`apex up\`; \`apex status\` shows which store is down), then run \`apex test clean ${state.run.runId}\` again.`,
      );
    });
    try {
      const tally = await cleanRun(state, stores.queries, (entry) => appendToLedger(path, entry));
      failures.push(...tally.failures.map((failure) => `${state.run.runId}: ${failure.store}: ${failure.reason}`));
      runs.push({
        runId: state.run.runId,
        phase: state.run.phase,
        reportDir: dirname(path),
        beforeCleanup: tally.before,
        leftAfterCleanup: tally.left,
        documentsWithoutUuid: tally.documentsWithoutUuid,
      });
    } finally {
      await stores.close();
    }
  }
  if (failures.length > 0) {
    const stores = [...new Set(failures.map((failure) => failure.split(': ')[1]))];
    throw new ApexError(
      'CLEANUP_FAILED',
      `${stores.join(', ')} did not answer the cleanup: the data there is still in place, and the ledger is kept.`,
      `Start ${stores.join(', ')} (\`apex up\`; \`apex status\` shows what is down), then run \`apex test clean ${options.all ? '--all' : options.runId}\` again.`,
      1,
      failures,
    );
  }
  return { apiVersion: 1, runs };
}
