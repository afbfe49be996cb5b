import pLimit from 'p-limit';
import { checkApplies, checkExpectation } from '../contracts/expectations.js';
import { ContractQueryError } from '../contracts/query-error.js';
import { placeholders, renderTemplate, type TemplateValue, type TemplateVariables } from '../contracts/render.js';
import { CONTRACT_STORES, type CleanupStatement, type ContractStore, type VerifyCheck, type WorkerContract } from '../contracts/schema.js';
import { errorMessage } from '../errors.js';
import type { Check, FailureEvidence } from '../results/run-result.js';
import {
  countInStore,
  countRemovableInStore,
  deleteInStore,
  type BoundStatement,
  type ContractClients,
  type StoreQuery,
} from '../services/contract-queries.js';

/** One document of a run as verification sees it: how it ended and the variables its checks render with. */
export interface VerifiedDocument {
  workflowId: string;
  ended: 'succeeded' | 'failed' | 'not-run';
  vars: TemplateVariables;
}

/** Runs one of the contract's queries against a store: how much it matches, or (for a cleanup) removes. */
export type StoreQueryRunner = <Store extends ContractStore>(store: Store, query: StoreQuery<Store>, vars: TemplateVariables) => Promise<number>;

/** How much a store's bound cleanup statements would remove, without removing it. */
export type RemovableCounter = <Store extends ContractStore>(store: Store, statements: readonly BoundStatement<Store>[]) => Promise<number>;

/** What verification and cleanup ask of the stores. */
export interface StoreQueries {
  count: StoreQueryRunner;
  remove: StoreQueryRunner;
  removable: RemovableCounter;
}

/** The real stores behind the contract's queries: counts and deletions through each store's client. */
export const storeQueries = (clients: ContractClients): StoreQueries => ({
  count: (store, query, vars) => countInStore(clients, store, query, vars),
  remove: (store, query, vars) => deleteInStore(clients, store, query, vars),
  removable: (store, statements) => countRemovableInStore(clients, store, statements),
});

export interface StoreVerification {
  checks: Check[];
  evidence: FailureEvidence[];
}

/** Store queries run at most this many at a time: per-document checks of a large run stay gentle on the stores. */
const QUERY_CONCURRENCY = 16;
const EXAMPLES = 3;

const queryText = (check: object): string =>
  JSON.stringify(Object.fromEntries(Object.entries(check).filter(([key]) => !['name', 'scope', 'when', 'expect'].includes(key))));

const missingVariables = (check: object, vars: TemplateVariables): string[] => placeholders(queryText(check)).filter((name) => vars[name] === undefined);

function queryFailure(store: ContractStore, check: VerifyCheck, error: unknown): FailureEvidence {
  const reason = error instanceof ContractQueryError ? error.reason : errorMessage(error);
  return {
    source: 'store',
    summary: `${store}: the contract's query "${check.name}" failed: ${reason}`,
    lines: [`${store} query: ${queryText(check)}`, `error: ${reason}`],
    workflows: 0,
  };
}

/**
 * Runs every `verify` check of the contract: run-scope checks once over the run's totals, document-scope checks once
 * per document they apply to. A query that fails is a failed check with the store, the query and the error as
 * evidence, never a pass.
 */
export async function verifyStores(
  contract: WorkerContract,
  count: StoreQueryRunner,
  runVars: TemplateVariables,
  documents: readonly VerifiedDocument[],
): Promise<StoreVerification> {
  const limit = pLimit(QUERY_CONCURRENCY);
  const evidence: FailureEvidence[] = [];
  const perStore = await Promise.all(
    CONTRACT_STORES.flatMap((store) =>
      (contract.verify[store] as VerifyCheck[]).map(async (check): Promise<Check> => {
        const name = `${store}: ${check.name}`;
        if (check.scope === 'run') {
          try {
            const actual = await limit(() => count(store, check, runVars));
            return { name, ...checkExpectation(check.expect, actual, runVars), actual: String(actual) };
          } catch (error) {
            evidence.push(queryFailure(store, check, error));
            return { name, expected: checkExpectation(check.expect, 0, runVars).expected, actual: 'query failed', passed: false };
          }
        }
        return verifyPerDocument(count, store, check, name, documents, limit, evidence);
      }),
    ),
  );
  return { checks: perStore, evidence };
}

/** The expectation as people read it, for a check whose bound may differ per document ({expectedChunks}). */
function describeExpectation(check: VerifyCheck): string {
  const { expect } = check;
  if ('present' in expect) return 'present';
  if ('absent' in expect) return 'absent';
  return 'equals' in expect ? `= ${expect.equals}` : `≥ ${expect.atLeast}`;
}

async function verifyPerDocument(
  count: StoreQueryRunner,
  store: ContractStore,
  check: VerifyCheck,
  name: string,
  documents: readonly VerifiedDocument[],
  limit: ReturnType<typeof pLimit>,
  evidence: FailureEvidence[],
): Promise<Check> {
  const applicable = documents.filter((document) => document.ended !== 'not-run' && checkApplies(check, document.ended));
  // A failed document whose uuid never became known wrote nothing keyed on it: there is nothing to look up. A
  // succeeded one must return what its checks need.
  const lacking = applicable.filter((document) => missingVariables(check, document.vars).length > 0);
  const unverifiable = lacking.filter((document) => document.ended === 'succeeded');
  const checked = applicable.length - (lacking.length - unverifiable.length);
  const failures = unverifiable.map(
    (document) =>
      `${document.workflowId}: ${missingVariables(check, document.vars)
        .map((variable) => `{${variable}}`)
        .join(', ')} unknown (the result lacks it)`,
  );
  let queryError: unknown;
  await Promise.all(
    applicable
      .filter((document) => !lacking.includes(document))
      .map((document) =>
        limit(async () => {
          try {
            const actual = await count(store, check, document.vars);
            const verdict = checkExpectation(check.expect, actual, document.vars);
            if (!verdict.passed) failures.push(`${document.workflowId}: expected ${verdict.expected}, found ${actual}`);
          } catch (error) {
            queryError ??= error;
            failures.push(`${document.workflowId}: query failed`);
          }
        }),
      ),
  );
  if (queryError) evidence.push(queryFailure(store, check, queryError));
  else if (failures.length > 0) {
    evidence.push({
      source: 'verification',
      summary: `${name}: ${failures.length} of ${checked} documents are not as expected (${describeExpectation(check)})`,
      lines: failures.slice(0, EXAMPLES),
      workflows: failures.length,
    });
  }
  const skipped = applicable.length - checked;
  return {
    name: `${name} (per ${check.when ?? ''}${check.when ? ' ' : ''}document)`,
    expected: `${checked}/${checked} ${describeExpectation(check)}`,
    actual: `${checked - failures.length}/${checked}${skipped > 0 ? ` (${skipped} failed before their uuid was known: nothing to look up)` : ''}`,
    passed: failures.length === 0,
  };
}

/**
 * One store's cleanup statements in the order written (a child table before its parent), each bound: a run-scope
 * statement once, a document-scope one per document that has its variables.
 */
export function bindCleanup<Store extends ContractStore>(
  statements: readonly CleanupStatement<Store>[],
  runVars: TemplateVariables,
  documents: readonly { vars: TemplateVariables }[],
): BoundStatement<Store>[][] {
  return statements.map((statement) =>
    statement.scope === 'run'
      ? [{ query: statement, vars: runVars }]
      : documents.filter((document) => missingVariables(statement, document.vars).length === 0).map((document) => ({ query: statement, vars: document.vars })),
  );
}

/** Runs one store's bound cleanup statements: in order, each statement's documents side by side; returns what it removed. */
export async function cleanupStore<Store extends ContractStore>(
  store: Store,
  bound: readonly BoundStatement<Store>[][],
  remove: StoreQueryRunner,
  limit: ReturnType<typeof pLimit> = pLimit(QUERY_CONCURRENCY),
): Promise<number> {
  let removed = 0;
  for (const statements of bound) {
    const counts = await Promise.all(statements.map(({ query, vars }) => limit(() => remove(store, query, vars))));
    removed += counts.reduce((total, count) => total + count, 0);
  }
  return removed;
}

/** Runs the contract's cleanup: the stores side by side, each as cleanupStore does. */
export async function cleanupStores(
  cleanup: WorkerContract['cleanup'],
  remove: StoreQueryRunner,
  runVars: TemplateVariables,
  documents: readonly { vars: TemplateVariables }[],
): Promise<void> {
  const limit = pLimit(QUERY_CONCURRENCY);
  await Promise.all(CONTRACT_STORES.map((store) => cleanupStore(store, bindCleanup(cleanup[store], runVars, documents), remove, limit)));
}

/** Every variable a check or cleanup may use, with values that match nothing a worker writes. */
function preflightVariables(contract: WorkerContract, base: { runId: string; phase: string }): Record<string, TemplateValue> {
  const { delivery } = contract.document;
  const deliveryVars: Record<string, TemplateValue> =
    delivery.kind === 's3'
      ? { bucket: renderTemplate(delivery.bucket, base), prefix: renderTemplate(delivery.prefix, base) }
      : { folder: delivery.kind === 'folder' ? delivery.path : '' };
  const documentName = `${base.runId}.txt`;
  return {
    ...base,
    n: '00000',
    index: 0,
    extension: 'txt',
    documentName,
    key: documentName,
    documentPath: documentName,
    documentUrl: `http://127.0.0.1/${documentName}`,
    localCpuSteps: true,
    localStoreWrites: true,
    documentUuid: '00000000-0000-0000-0000-000000000000',
    planned: 0,
    completed: 0,
    failed: 0,
    uploaded: 0,
    expectedChunks: 0,
    expectedEntities: 0,
    folder: '',
    ...deliveryVars,
  };
}

/**
 * Runs every verify query of the contract once before the phase: an unreachable store, a missing table, collection
 * or bucket, or a query the worker's schema does not support becomes evidence naming the store and the query.
 */
export async function preflightStores(contract: WorkerContract, count: StoreQueryRunner, base: { runId: string; phase: string }): Promise<FailureEvidence[]> {
  const vars = preflightVariables(contract, base);
  const failures = await Promise.all(
    CONTRACT_STORES.flatMap((store) =>
      (contract.verify[store] as VerifyCheck[]).map(async (check) => {
        try {
          await count(store, check, vars);
          return undefined;
        } catch (error) {
          const reason = error instanceof ContractQueryError ? error.reason : errorMessage(error);
          return {
            store,
            evidence: {
              source: 'store',
              summary: `${store}: not ready before the phase`,
              lines: [`${store}: ${reason}`, `query "${check.name}": ${queryText(check)}`],
              workflows: 0,
            } satisfies FailureEvidence,
          };
        }
      }),
    ),
  );
  // One piece of evidence per store: its first failing query says why.
  const byStore = new Map<ContractStore, FailureEvidence>();
  for (const failure of failures) if (failure && !byStore.has(failure.store)) byStore.set(failure.store, failure.evidence);
  return [...byStore.values()];
}
