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

/** Runs a contract's cleanup statement; returns the nodes it deleted, or the relationships when it deleted no node. */
export async function deleteMatching(driver: Driver, query: Neo4jQuery, vars: TemplateVariables): Promise<number> {
  const { text, params } = bindCypher(query.cypher, vars);
  return runContractQuery('neo4j', query.cypher, async () => {
    const updates = (await driver.executeQuery(text, params)).summary.counters.updates();
    return updates.nodesDeleted || updates.relationshipsDeleted;
  });
}
