import { SERVICE_NAMES } from '../config/service-specs.js';
import type { Check, PhaseRunResult, TestResult } from '../results/run-result.js';

/** The checks of one test on one store (or on the workflows themselves), as expected against actual. */
export interface StoreChecks {
  /** A service name, or 'workflows' for what results and histories showed. */
  store: string;
  /** What answered for that store when it was a stand-in, as it names itself. */
  standIn?: string;
  checks: Check[];
  failed: number;
}

const STORE_PREFIX = new RegExp(`^(?:[\\w -]+: )?(${SERVICE_NAMES.join('|')}): `);

/** The store a check queried ("postgres: documents row" and "successful: redis: keys" → the store), if any. */
export const storeOfCheck = (check: Check): string | undefined => STORE_PREFIX.exec(check.name)?.[1];

export const standInOf = (result: PhaseRunResult, store: string | undefined): string | undefined =>
  result.environment.standIns.find((standIn) => standIn.service === store)?.server;

/** A test's checks grouped by store, the groups with failed checks first, failed checks first inside each group. */
export function checksByStore(result: PhaseRunResult, test: TestResult): StoreChecks[] {
  const groups = new Map<string, Check[]>();
  for (const check of test.checks) {
    const store = storeOfCheck(check) ?? 'workflows';
    groups.set(store, [...(groups.get(store) ?? []), check]);
  }
  return [...groups.entries()]
    .map(([store, checks]) => ({
      store,
      standIn: standInOf(result, store),
      checks: [...checks].sort((a, b) => Number(a.passed) - Number(b.passed)),
      failed: checks.filter((check) => !check.passed).length,
    }))
    .sort((a, b) => Number(b.failed > 0) - Number(a.failed > 0));
}

/** One line per stand-in, for every report that shows results depending on it. */
export const standInLines = (result: PhaseRunResult): string[] =>
  result.environment.standIns.map((standIn) => `${standIn.service} was answered by a stand-in (${standIn.server}), not the real server: its checks prove apex's queries, not ${standIn.service} itself.`);
