/**
 * The saga around the parallel store writes: when any write fails for good, every store is compensated,
 * including the one that failed (a failed write may have landed before its error), so nothing is left behind.
 * Runs inside the workflow sandbox: no Node built-ins.
 */
import type { StoreName } from '../results/ingestion-contract.js';

export interface SagaStep {
  store: StoreName;
  write(): Promise<void>;
  compensate(): Promise<void>;
}

export interface SagaOutcome {
  written: StoreName[];
  failed: { store: StoreName; error: unknown }[];
  compensated: StoreName[];
  /** Compensations that failed too: data may be left behind, named here. */
  compensationFailures: { store: StoreName; error: unknown }[];
}

export async function runWriteSaga(steps: readonly SagaStep[]): Promise<SagaOutcome> {
  const results = await Promise.allSettled(steps.map((step) => step.write()));
  const written: StoreName[] = [];
  const failed: SagaOutcome['failed'] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') written.push(steps[index].store);
    else failed.push({ store: steps[index].store, error: result.reason });
  });
  if (failed.length === 0) return { written, failed, compensated: [], compensationFailures: [] };
  const undo = await Promise.allSettled(steps.map((step) => step.compensate()));
  const compensated: StoreName[] = [];
  const compensationFailures: SagaOutcome['compensationFailures'] = [];
  undo.forEach((result, index) => {
    if (result.status === 'fulfilled') compensated.push(steps[index].store);
    else compensationFailures.push({ store: steps[index].store, error: result.reason });
  });
  return { written, failed, compensated, compensationFailures };
}
