import type { RunData } from '../results/run-result.js';

/** Per-store counts as people read them: `postgres 0, neo4j 0`. */
export const describeStoreCounts = (perStore: Readonly<Record<string, number>>): string =>
  Object.entries(perStore)
    .map(([store, count]) => `${store} ${count}`)
    .join(', ') || 'nothing';

/** What a run left in the stores, in one line: removed, kept on purpose, or not removed and how to remove it. */
export function describeRunData(data: RunData, runId: string): string {
  const clean = `\`apex test clean ${runId}\``;
  const lost =
    data.documentsWithoutUuid > 0
      ? `; ${data.documentsWithoutUuid} document(s) never returned their uuid, so what the worker keyed on it cannot be found`
      : '';
  switch (data.status) {
    case 'no-stores':
      return 'nothing written to a real store';
    case 'kept':
      return `kept on purpose (--keep-data): ${describeStoreCounts(data.leftAfterCleanup)}; remove it with ${clean}${lost}`;
    case 'removed':
      return `removed after the run; left after cleanup: ${describeStoreCounts(data.leftAfterCleanup)} (its cleanup matched ${describeStoreCounts(data.beforeCleanup)})${lost}`;
    case 'not-removed': {
      const failed = data.failures.map((failure) => `${failure.store}: ${failure.reason}`).join('; ');
      return `NOT all removed${failed ? ` (${failed})` : ''}; left after cleanup: ${describeStoreCounts(data.leftAfterCleanup)}; once the store answers, remove it with ${clean}${lost}`;
    }
  }
}
