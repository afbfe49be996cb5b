import type { QdrantClient } from '@qdrant/js-client-rest';
import { runContractQuery } from '../../contracts/query-error.js';
import { renderFilter, renderTemplate, type TemplateVariables } from '../../contracts/render.js';
import type { QdrantQuery } from '../../contracts/schema.js';

type Filter = NonNullable<NonNullable<Parameters<QdrantClient['count']>[1]>['filter']>;

const describe = (query: QdrantQuery): string => `${query.collection} where ${JSON.stringify(query.filter)}`;

/** The points of a collection that match a contract's filter (an exact count). */
export async function countMatching(client: QdrantClient, query: QdrantQuery, vars: TemplateVariables): Promise<number> {
  const collection = renderTemplate(query.collection, vars);
  const filter = renderFilter(query.filter, vars) as Filter;
  return runContractQuery('qdrant', describe(query), async () => (await client.count(collection, { exact: true, filter })).count);
}

/** Deletes the points that match a contract's filter; returns how many matched. */
export async function deleteMatching(client: QdrantClient, query: QdrantQuery, vars: TemplateVariables): Promise<number> {
  const collection = renderTemplate(query.collection, vars);
  const filter = renderFilter(query.filter, vars) as Filter;
  return runContractQuery('qdrant', describe(query), async () => {
    const { count } = await client.count(collection, { exact: true, filter });
    if (count > 0) await client.delete(collection, { wait: true, filter });
    return count;
  });
}
