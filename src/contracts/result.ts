import type { WorkerContract } from './schema.js';

/** What a completed workflow's return value says, read through the contract's `result` fields. */
export interface ContractResult {
  succeeded: boolean;
  failureReason?: string;
  documentUuid?: string;
  stores?: string[];
  counts: { chunks?: number; entities?: number };
  /** Declared fields this result lacks or holds with the wrong type (the worker returns another shape). */
  missingFields: string[];
}

/** The value at a dotted path (`status`, `result.uuid`), or undefined. */
export function fieldAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Reads a completed execution's return value; without a `success` field, completing is succeeding. */
export function readResult(spec: WorkerContract['result'], value: unknown): ContractResult {
  const missingFields: string[] = [];
  const read = <T>(path: string | undefined, valid: (field: unknown) => field is T, required: boolean): T | undefined => {
    if (path === undefined) return undefined;
    const field = fieldAt(value, path);
    if (valid(field)) return field;
    if (required || field !== undefined) missingFields.push(path);
    return undefined;
  };
  const isString = (field: unknown): field is string => typeof field === 'string';
  const isCount = (field: unknown): field is number => typeof field === 'number' && Number.isInteger(field) && field >= 0;
  const isStoreList = (field: unknown): field is string[] => Array.isArray(field) && field.every(isString);
  if (spec.success && fieldAt(value, spec.success.field) === undefined) missingFields.push(spec.success.field);
  const succeeded = spec.success ? fieldAt(value, spec.success.field) === spec.success.equals : true;
  return {
    succeeded,
    failureReason: succeeded ? undefined : read(spec.failureReason, isString, true),
    documentUuid: read(spec.documentUuid, isString, succeeded),
    stores: read(spec.stores, isStoreList, succeeded),
    counts: { chunks: read(spec.counts?.chunks, isCount, succeeded), entities: read(spec.counts?.entities, isCount, succeeded) },
    missingFields,
  };
}
