import { assertAllSucceeded } from '../services/seeding.js';
import type { ServiceName } from '../services/service.js';

interface StoreOutcome {
  service: ServiceName;
  ok: boolean;
  error?: string;
  fix?: string;
}

export interface StoreOutput<R extends StoreOutcome> {
  apiVersion: 1;
  ok: boolean;
  results: R[];
}

/**
 * The end of `apex seed` and `apex reset`: a table for people (then each failure's error and fix, exit 1), or with
 * --json the per-store results, with exit code 1 when any store failed.
 */
export function storeOutput<R extends StoreOutcome>(
  results: R[],
  options: { json: boolean; log: (text: string) => void; render: (results: R[]) => string; code: string; what: string },
): StoreOutput<R> {
  const ok = results.every((result) => result.ok);
  if (!options.json) {
    options.log(options.render(results));
    assertAllSucceeded(results, options.code, options.what);
  } else if (!ok) process.exitCode = 1;
  return { apiVersion: 1, ok, results };
}
