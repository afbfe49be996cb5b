import type { Driver } from 'neo4j-driver';
import { runContractQuery } from '../../contracts/query-error.js';
import { bindCypher, type TemplateVariables } from '../../contracts/render.js';
import type { Neo4jQuery } from '../../contracts/schema.js';

const asCount = (value: unknown): number =>
  typeof value === 'object' && value !== null && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : Number(value);

/** Runs a contract's counting statement: the count is the first value of its first record. */
export async function countMatching(driver: Driver, query: Neo4jQuery, vars: TemplateVariables): Promise<number> {
  const { text, params } = bindCypher(query.cypher, vars);
  return runContractQuery('neo4j', query.cypher, async () => {
    const { records } = await driver.executeQuery(text, params);
    const count = records.length > 0 && records[0].length > 0 ? asCount(records[0].get(0)) : NaN;
    if (!Number.isInteger(count))
      throw new Error(`expected one record whose first value is a count, got ${records.length === 0 ? 'no records' : JSON.stringify(records[0].toObject())}`);
    return count;
  });
}

/** What a statement's summary says it deleted: the nodes, or the relationships when it deleted no node. */
const deleted = (counters: { updates(): { nodesDeleted: number; relationshipsDeleted: number } }): number => {
  const updates = counters.updates();
  return updates.nodesDeleted || updates.relationshipsDeleted;
};

/** What a store's cleanup statements would delete, in order, in one transaction that is rolled back. */
export async function countRemovable(driver: Driver, statements: readonly { query: Neo4jQuery; vars: TemplateVariables }[]): Promise<number> {
  if (statements.length === 0) return 0;
  const session = driver.session();
  const transaction = session.beginTransaction();
  let removable = 0;
  try {
    for (const { query, vars } of statements) {
      const { text, params } = bindCypher(query.cypher, vars);
      removable += await runContractQuery('neo4j', query.cypher, async () => deleted((await transaction.run(text, params)).summary.counters));
    }
    return removable;
  } finally {
    await transaction.rollback().catch(() => undefined);
    await session.close();
  }
}

/** Runs a contract's cleanup statement; returns the nodes it deleted, or the relationships when it deleted no node. */
export async function deleteMatching(driver: Driver, query: Neo4jQuery, vars: TemplateVariables): Promise<number> {
  const { text, params } = bindCypher(query.cypher, vars);
  return runContractQuery('neo4j', query.cypher, async () => deleted((await driver.executeQuery(text, params)).summary.counters));
}
