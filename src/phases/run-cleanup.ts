import { basename } from 'node:path';
import { placeholders, type TemplateValue } from '../contracts/render.js';
import { CONTRACT_STORES, type ContractStore } from '../contracts/schema.js';
import type { Check, FailureEvidence, RunData, TestResult } from '../results/run-result.js';
import type { PhaseContext } from './phase-context.js';
import { ledgerClean, workloadClean, type LedgerEntry, type LedgerState, type LedgerWorkload, type RunLedger, type StoreCounts } from './run-ledger.js';
import { describeStoreError } from './store-errors.js';
import { bindCleanup, cleanupStore, type StoreQueries } from './store-verification.js';

/** What cleaning up one workload (or a whole run) found, removed and left, per store. */
export interface CleanupTally {
  before: StoreCounts;
  left: StoreCounts;
  failures: { store: ContractStore; reason: string }[];
  documentsWithoutUuid: number;
}

type CleanupQueries = Pick<StoreQueries, 'remove' | 'removable'>;

const workloadVars = (state: LedgerState, workload: LedgerWorkload): Record<string, TemplateValue> => ({
  runId: workload.runId,
  phase: state.run.phase,
  ...workload.deliveryVars,
});

/** Started documents whose uuid never became known, when a cleanup statement selects by it. */
function documentsWithoutUuid(state: LedgerState, workload: LedgerWorkload): number {
  const byUuid = CONTRACT_STORES.some((store) =>
    state.run.cleanup[store].some((statement) => placeholders(JSON.stringify(statement)).includes('documentUuid')),
  );
  return byUuid ? workload.documents.filter((document) => document.started && document.vars.documentUuid === undefined).length : 0;
}

/**
 * Counts what a workload's cleanup statements match in every store, removes it (unless `countOnly`), and counts
 * again. A store that fails is named with its reason; the others are cleaned all the same. The ledger records the
 * cleanup only when every store answered.
 */
export async function cleanWorkload(
  state: LedgerState,
  workload: LedgerWorkload,
  queries: CleanupQueries,
  record: (entry: LedgerEntry) => void,
  countOnly = false,
): Promise<CleanupTally> {
  const vars = workloadVars(state, workload);
  const tally: CleanupTally = { before: {}, left: {}, failures: [], documentsWithoutUuid: documentsWithoutUuid(state, workload) };
  await Promise.all(
    CONTRACT_STORES.map(async (store) => {
      const bound = bindCleanup(state.run.cleanup[store], vars, workload.documents);
      if (bound.length === 0) return;
      try {
        const before = await queries.removable(store, bound.flat());
        if (before > 0 && !countOnly) await cleanupStore(store, bound, queries.remove);
        tally.before[store] = before;
        tally.left[store] = before > 0 && !countOnly ? await queries.removable(store, bound.flat()) : before;
      } catch (error) {
        tally.failures.push({ store, reason: describeStoreError(error) });
      }
    }),
  );
  // In the order the stores are always listed, whichever answered first.
  tally.before = inStoreOrder(tally.before);
  tally.left = inStoreOrder(tally.left);
  if (!countOnly && tally.failures.length === 0) record({ kind: 'cleaned', runId: workload.runId, before: tally.before, left: tally.left });
  return tally;
}

const inStoreOrder = (counts: StoreCounts): StoreCounts =>
  Object.fromEntries(CONTRACT_STORES.filter((store) => counts[store] !== undefined).map((store) => [store, counts[store]]));

function add(total: StoreCounts, counts: StoreCounts): void {
  for (const [store, count] of Object.entries(counts) as [ContractStore, number][]) total[store] = (total[store] ?? 0) + count;
}

/**
 * Cleans every workload of a run that is not clean yet, from what its ledger holds; the totals include the
 * workloads cleaned before (after their tests). With `countOnly`, counts what is there and removes nothing.
 */
export async function cleanRun(state: LedgerState, queries: CleanupQueries, record: (entry: LedgerEntry) => void, countOnly = false): Promise<CleanupTally> {
  const total: CleanupTally = { before: {}, left: {}, failures: [], documentsWithoutUuid: 0 };
  for (const workload of state.workloads) {
    if (!countOnly && workloadClean(workload)) {
      add(total.before, workload.before ?? {});
      add(total.left, workload.left ?? {});
      continue;
    }
    const tally = await cleanWorkload(state, workload, queries, record, countOnly);
    add(total.before, tally.before);
    add(total.left, tally.left);
    total.failures.push(...tally.failures.filter((failure) => !total.failures.some((known) => known.store === failure.store)));
    total.documentsWithoutUuid += tally.documentsWithoutUuid;
  }
  return total;
}

interface Verdict {
  checks: Check[];
  evidence: FailureEvidence[];
}

/**
 * Removes what one test's workload wrote, passed or failed (unless --keep-data), from what the run's ledger holds.
 * A removal that fails turns the verdict into a failure with the store's reason: the test left its data behind.
 */
export async function removeWorkloadData<T extends Verdict>(
  ctx: Pick<PhaseContext, 'keepData' | 'ledger' | 'environment'>,
  runId: string,
  verdict: T,
): Promise<T> {
  const { stores } = ctx.environment;
  if (ctx.keepData || !stores) return verdict;
  const state = ctx.ledger.state();
  const workload = state.workloads.find((candidate) => candidate.runId === runId);
  if (!workload) return verdict;
  const { failures } = await cleanWorkload(state, workload, stores, (entry) => ctx.ledger.record(entry));
  if (failures.length === 0) return verdict;
  const reasons = failures.map((failure) => `${failure.store}: ${failure.reason}`);
  return {
    ...verdict,
    checks: [...verdict.checks, { name: `data of run ${runId} removed`, expected: 'removed', actual: `not removed: ${reasons.join('; ')}`, passed: false }],
    evidence: [
      ...verdict.evidence,
      {
        source: 'store',
        summary: `the data of run ${runId} could not be removed from ${failures.map((failure) => failure.store).join(', ')}`,
        lines: reasons,
        workflows: 0,
      },
    ],
  };
}

/**
 * Ends a run's data: removes what no test removed (a test that aborted, a run cut short) unless --keep-data, counts
 * what is left per store, and closes the ledger with how the run ended.
 */
export async function finishRunData(
  ledger: RunLedger,
  stores: CleanupQueries | undefined,
  tests: readonly TestResult[],
  interrupted = false,
): Promise<RunData> {
  const state = ledger.state();
  const kept = state.kept !== undefined;
  const record = (entry: LedgerEntry) => ledger.record(entry);
  // Without stores (2C) the workloads wrote nothing that lasts: there is nothing to clean later.
  if (!stores) for (const workload of state.workloads) record({ kind: 'cleaned', runId: workload.runId, before: {}, left: {} });
  const tally: CleanupTally = stores ? await cleanRun(state, stores, record, kept) : { before: {}, left: {}, failures: [], documentsWithoutUuid: 0 };
  record({ kind: 'ended', status: interrupted ? 'interrupted' : tests.some((test) => test.status === 'failed') ? 'failed' : 'passed' });
  const clean = tally.failures.length === 0 && Object.values(tally.left).every((count) => count === 0) && ledgerClean(ledger.state());
  return {
    status: !stores ? 'no-stores' : kept ? 'kept' : clean ? 'removed' : 'not-removed',
    ledger: ledger.path ? basename(ledger.path) : undefined,
    beforeCleanup: tally.before,
    leftAfterCleanup: tally.left,
    failures: tally.failures,
    documentsWithoutUuid: tally.documentsWithoutUuid,
  };
}
