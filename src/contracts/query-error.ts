import type { ContractStore } from './schema.js';

/** A contract's store query that failed: names the store, the query as written and the store's error. */
export class ContractQueryError extends Error {
  override readonly name = 'ContractQueryError';

  constructor(
    readonly store: ContractStore,
    /** The query as the contract writes it (templates unrendered: no values, so no secrets). */
    readonly query: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${store} query failed: ${reason} (query: ${query})`, options);
  }
}

/** Runs one store query; any failure becomes a ContractQueryError naming the store and the query. */
export async function runContractQuery<T>(store: ContractStore, query: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ContractQueryError) throw error;
    throw new ContractQueryError(store, query, describeError(error), { cause: error });
  }
}

/** The error's type and code when they add to its message (NoSuchBucket, Neo.ClientError.Statement.SyntaxError). */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const { name, code } = error as { name?: unknown; code?: unknown };
  const labels = [name, code].filter((label): label is string => typeof label === 'string' && !/^error$/i.test(label) && !message.includes(label));
  return [...new Set(labels), message].join(': ');
}
