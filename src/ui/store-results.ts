import type { ResetResult } from '../services/resetting.js';
import type { SeedResult } from '../services/seeding.js';
import { renderTable } from './table.js';

const listOr = (items: readonly string[], empty: string): string => (items.length > 0 ? items.join('\n') : empty);
const outcome = (result: { ok: boolean; error?: string }): string => (result.ok ? 'ok' : `FAILED: ${result.error ?? ''}`);

export const renderSeedResults = (results: readonly SeedResult[], tty: boolean): string =>
  renderTable(
    ['SERVICE', 'RESULT', 'APPLIED', 'UNCHANGED', 'MS'],
    results.map((result) => [
      result.service,
      outcome(result),
      listOr(result.applied, '-'),
      listOr(result.unchanged, '-'),
      String(result.durationMs),
    ]),
    tty,
  );

export const renderResetResults = (results: readonly ResetResult[], tty: boolean): string =>
  renderTable(
    ['SERVICE', 'RESULT', 'CLEARED', 'SEEDED', 'MS'],
    results.map((result) => [
      result.service,
      outcome(result),
      listOr(result.cleared, '-'),
      listOr(result.applied, '-'),
      String(result.durationMs),
    ]),
    tty,
  );
