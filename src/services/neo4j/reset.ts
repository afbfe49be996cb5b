import type { ClearReport, StoreContext } from '../operations.js';
import { withNeo4j } from './probe.js';
import { projectSchemaFiles } from '../project-schema.js';
import { PROJECT_SCHEMA_LABEL, recreateProjectData } from './project-schema.js';
import { MIGRATION_LABEL } from './seed.js';

/**
 * Detach-deletes every node but the records of what ran, in batches so that a large graph fits in memory; then creates
 * again what the project's applied files create.
 */
export const clearNeo4j = (ctx: StoreContext): Promise<ClearReport> =>
  withNeo4j(ctx, async (driver) => {
    const session = driver.session();
    try {
      // CALL { ... } IN TRANSACTIONS needs an auto-commit transaction: session.run, not executeQuery.
      const result = await session.run(
        `MATCH (n) WHERE NOT n:${MIGRATION_LABEL} AND NOT n:${PROJECT_SCHEMA_LABEL} CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
      );
      const counters = result.summary.counters.updates();
      const recreated = await recreateProjectData(driver, projectSchemaFiles(ctx.stack, 'neo4j'));
      return { cleared: [`deleted ${counters.nodesDeleted} nodes, ${counters.relationshipsDeleted} relationships`, ...recreated] };
    } finally {
      await session.close();
    }
  });
