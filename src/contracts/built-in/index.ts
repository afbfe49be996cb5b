import type { WorkerContractInput } from '../schema.js';
import { apexMemoryContract } from './apex-memory.js';
import { referenceContract, type ReferenceSettings } from './reference.js';

export type { ReferenceSettings } from './reference.js';

/** The contracts apex knows by name; `reference` (apex's own worker) is the default. */
export const BUILT_IN_CONTRACTS = ['reference', 'apex-memory'] as const;
export type BuiltInContractName = (typeof BUILT_IN_CONTRACTS)[number];

/** A built-in contract as written; the reference contract takes the `ingestion` settings `apex worker` uses. */
export function builtInContract(name: BuiltInContractName, settings: ReferenceSettings): WorkerContractInput {
  return name === 'reference' ? referenceContract(settings) : apexMemoryContract;
}
