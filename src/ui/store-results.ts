import type { ResetResult } from '../stack/reset.js';
import type { SeedResult } from '../services/seeding.js';
import { renderTable } from './table.js';

interface StoreOutcome {
  service: string;
  ok: boolean;
  error?: string;
  durationMs: number;
}

/** One row per store: its outcome, two lists of what happened, and how long it took. */
function renderOutcomes<R extends StoreOutcome>(results: readonly R[], columns: readonly [string, (result: R) => string[]][], tty: boolean): string {
  const list = (items: string[]): string => (items.length > 0 ? items.join('\n') : '-');
  return renderTable(
    ['SERVICE', 'RESULT', ...columns.map(([head]) => head), 'MS'],
    results.map((result) => [
      result.service,
      result.ok ? 'ok' : `FAILED: ${result.error ?? ''}`,
      ...columns.map(([, items]) => list(items(result))),
      String(result.durationMs),
    ]),
    tty,
  );
}

export const renderSeedResults = (results: readonly SeedResult[], tty: boolean): string =>
  renderOutcomes(
    results,
    [
      ['APPLIED', (result) => result.applied],
      ['UNCHANGED', (result) => result.unchanged],
    ],
    tty,
  );

export const renderResetResults = (results: readonly ResetResult[], tty: boolean): string =>
  renderOutcomes(
    results,
    [
      ['CLEARED', (result) => result.cleared],
      ['SEEDED', (result) => result.applied],
    ],
    tty,
  );
