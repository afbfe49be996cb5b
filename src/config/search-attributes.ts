/** The Keyword search attributes `apex seed` registers in the namespace and every workflow a phase starts carries. */
export const SEARCH_ATTRIBUTES = { runId: 'ApexRunId', phase: 'ApexPhase' } as const;

export const SEARCH_ATTRIBUTE_NAMES: readonly string[] = Object.values(SEARCH_ATTRIBUTES);
