import { renderValue, type TemplateVariables } from './render.js';
import type { Expectation, VerifyCheck } from './schema.js';

/** A check's expectation against the count a store returned: the expectation as people read it, and whether it held. */
export function checkExpectation(expectation: Expectation, actual: number, vars: TemplateVariables): { expected: string; passed: boolean } {
  if ('present' in expectation) return { expected: 'present (≥ 1)', passed: actual >= 1 };
  if ('absent' in expectation) return { expected: 'absent (0)', passed: actual === 0 };
  const bound = 'equals' in expectation ? expectation.equals : expectation.atLeast;
  const value = typeof bound === 'number' ? bound : Number(renderValue(bound, vars));
  if (!Number.isFinite(value)) throw new TypeError(`The expectation ${JSON.stringify(expectation)} does not render to a number.`);
  return 'equals' in expectation ? { expected: String(value), passed: actual === value } : { expected: `≥ ${value}`, passed: actual >= value };
}

/** Whether a document-scope check applies to a document that ended this way. */
export const checkApplies = (check: Pick<VerifyCheck, 'when'>, outcome: 'succeeded' | 'failed'): boolean => !check.when || check.when === outcome;
