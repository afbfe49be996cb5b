import type { Driver } from 'neo4j-driver';
import { credentialDiagnosis } from '../failure.js';
import { withResource, type Diagnosis, type ProbeReport, type StoreContext } from '../operations.js';
import { createNeo4jDriver } from './client.js';

/** A driver for an operation, closed when it ends or is aborted. */
export const withNeo4j = <T>(ctx: StoreContext, use: (driver: Driver) => Promise<T>): Promise<T> =>
  withResource(
    ctx.signal,
    () => createNeo4jDriver(ctx.endpoint, ctx.stack.credentials),
    (driver) => driver.close(),
    use,
  );

export const probeNeo4j = (ctx: StoreContext): Promise<ProbeReport> =>
  withNeo4j(ctx, async (driver) => {
    const one = await driver.executeQuery('RETURN 1 AS one');
    if (one.records[0]?.get('one') !== 1) throw new Error('RETURN 1 did not return 1');
    const { records } = await driver.executeQuery(
      "CALL dbms.components() YIELD name, versions, edition WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition",
    );
    const component = records[0];
    return {
      version: component?.get('version') as string | undefined,
      detail: `RETURN 1; ${String(component?.get('edition') ?? 'unknown')} edition`,
    };
  });

export function diagnoseNeo4j(error: unknown, ctx: StoreContext): Diagnosis | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'Neo.ClientError.Security.Unauthorized') {
    return credentialDiagnosis(ctx, 'NEO4J_PASSWORD', message ?? code);
  }
  if (code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    const diagnosis = credentialDiagnosis(ctx, 'NEO4J_PASSWORD', message ?? code);
    return { ...diagnosis, fix: `${diagnosis.fix} Neo4j locks the user for a few seconds after repeated failures.` };
  }
  return undefined;
}
