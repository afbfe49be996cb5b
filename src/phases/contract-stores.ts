import type { LoadedStack } from '../config/stack-context.js';
import { closeStoreClients, openStoreClients, type StoreClients } from '../ingestion/worker-dependencies.js';
import { resolveEndpoint, serviceByName } from '../services/catalog.js';
import { createPostgresPool } from '../services/postgres/client.js';
import { describeStoreError } from './store-errors.js';
import { storeQueries, type StoreQueries } from './store-verification.js';

export interface ContractStores {
  clients: StoreClients;
  /** The contract's queries, against the worker's own PostgreSQL database when it has one. */
  queries: StoreQueries;
  close(): Promise<void>;
}

/**
 * Connects to the stack's stores for a contract's queries. The worker's tables may live in a PostgreSQL database of
 * their own (its POSTGRES_DB): its queries go to that one.
 */
export async function openContractStores(loaded: LoadedStack, postgresDatabase: string | undefined): Promise<ContractStores> {
  const clients = await openStoreClients(loaded.stack, loaded.env).catch((error: unknown) => {
    throw Object.assign(new Error(`cannot connect to the stores: ${describeStoreError(error)}`), { cause: error });
  });
  const workerPostgres =
    postgresDatabase && postgresDatabase !== loaded.stack.credentials.postgresDb
      ? createPostgresPool(resolveEndpoint(loaded.config, serviceByName('postgres')), { ...loaded.stack.credentials, postgresDb: postgresDatabase }, 4)
      : undefined;
  return {
    clients,
    queries: storeQueries({ ...clients, postgres: workerPostgres ?? clients.postgres }),
    close: async () => {
      await Promise.all([closeStoreClients(clients), workerPostgres?.end()]);
    },
  };
}
