import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../../config/search-attributes.js';
import { msToTs } from '../../vendor/temporal-client.js';
import { ApexError } from '../../errors.js';
import type { SeedReport, StoreContext } from '../operations.js';
import { isNotFound, namespaceOf, withTemporal } from './probe.js';

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const KEYWORD = 2;
const RETENTION = '3 days';

/** Registers the namespace if it is missing and adds apex's search attributes. */
export const seedTemporal = (ctx: StoreContext): Promise<SeedReport> =>
  withTemporal(ctx, async (connection) => {
    const namespace = namespaceOf(ctx);
    const report: SeedReport = { applied: [], unchanged: [] };
    if (await namespaceExists(connection, namespace)) report.unchanged.push(`namespace ${namespace}`);
    else {
      await connection.workflowService.registerNamespace({
        namespace,
        description: 'Apex Memory ingestion (created by apex seed)',
        workflowExecutionRetentionPeriod: msToTs(RETENTION),
      });
      report.applied.push(`namespace ${namespace}`);
    }
    const existing = await listSearchAttributes(connection, namespace);
    const missing: Record<string, number> = {};
    for (const name of SEARCH_ATTRIBUTE_NAMES) {
      if (existing[name] === undefined) missing[name] = KEYWORD;
      else if (existing[name] !== KEYWORD) {
        throw new ApexError(
          'TEMPORAL_SEARCH_ATTRIBUTE_TYPE',
          `temporal search attribute ${name} in namespace ${namespace} exists with another type than Keyword.`,
          `Remove it (\`temporal operator search-attribute remove --name ${name} --namespace ${namespace}\`) and run \`apex seed --only temporal\`.`,
        );
      } else report.unchanged.push(`search attribute ${name}`);
    }
    if (Object.keys(missing).length > 0) {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
      report.applied.push(...Object.keys(missing).map((name) => `search attribute ${name} (Keyword)`));
    }
    return report;
  });

async function namespaceExists(connection: Connection, namespace: string): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** A namespace registered a moment ago may not be in the server's cache yet: retry NOT_FOUND briefly. */
async function listSearchAttributes(connection: Connection, namespace: string): Promise<Record<string, number>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await connection.operatorService.listSearchAttributes({ namespace });
      return response.customAttributes as Record<string, number>;
    } catch (error) {
      if (!isNotFound(error) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
