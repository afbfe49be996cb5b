import type { WorkerContract } from '../contracts/schema.js';
import { usageError } from '../errors.js';
import { phase2c } from './phase-2c.js';
import { phase2d } from './phase-2d.js';
import { phase2e } from './phase-2e.js';
import { phase2f } from './phase-2f.js';
import type { PhaseDefinition } from './phase-definition.js';

/** The phases apex runs, in order. */
export const PHASES: readonly PhaseDefinition[] = [phase2c, phase2d, phase2e, phase2f];

/** One phase by id, or every phase for "all". */
export function selectPhases(id: string): PhaseDefinition[] {
  const wanted = id.toLowerCase();
  if (wanted === 'all') return [...PHASES];
  const phase = PHASES.find((candidate) => candidate.id === wanted);
  if (!phase) throw usageError(`Unknown phase "${id}".`, `Use one of: ${PHASES.map((known) => known.id).join(', ')}, or all (see \`apex test list\`).`);
  return [phase];
}

export interface PhaseListing {
  id: string;
  title: string;
  description: string;
  services: readonly string[];
  tests: { name: string; description: string }[];
  /** Config keys under phases.<id> with their defaults. */
  thresholds: Record<string, unknown>;
  /** The label of the worker contract a run of this phase drives and verifies. */
  contract: string;
}

/** `apex test list --json`. */
export interface PhaseList {
  apiVersion: 1;
  phases: PhaseListing[];
}

/** The phases as a run with this contract (the configured one) would drive them. */
export const phaseList = (contract: Pick<WorkerContract, 'label'>): PhaseList => ({ apiVersion: 1, phases: listPhases(contract) });

export const listPhases = (contract: Pick<WorkerContract, 'label'>): PhaseListing[] =>
  PHASES.map((phase) => ({
    id: phase.id,
    title: phase.title,
    description: phase.description,
    services: phase.services,
    tests: phase.tests.map((test) => ({ name: test.name, description: test.description })),
    thresholds: phase.thresholds.parse({}) as Record<string, unknown>,
    contract: contract.label,
  }));
