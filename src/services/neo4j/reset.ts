import type { ClearReport, StoreContext } from '../operations.js';
import { withNeo4j } from './probe.js';
import { MIGRATION_LABEL } from './seed.js';

/** Detach-deletes every node but the migration records, in batches so that a large graph fits in memory. */
export const clearNeo4j = (ctx: StoreContext): Promise<ClearReport> =>
  withNeo4j(ctx, async (driver) => {
    const session = driver.session();
    try {
      // CALL { ... } IN TRANSACTIONS needs an auto-commit transaction: session.run, not executeQuery.
      const result = await session.run(`MATCH (n) WHERE NOT n:${MIGRATION_LABEL} CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
      const counters = result.summary.counters.updates();
      return { cleared: [`deleted ${counters.nodesDeleted} nodes, ${counters.relationshipsDeleted} relationships`] };
    } finally {
      await session.close();
    }
  });
