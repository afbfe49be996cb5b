import type { Driver } from 'neo4j-driver';
import type { RunCounts } from '../../results/store-writer.js';

export async function countNeo4jRun(driver: Driver, runId: string): Promise<Pick<RunCounts, 'graphDocuments' | 'mentions'>> {
  const { records } = await driver.executeQuery(
    `CALL { MATCH (d:Document {runId: $runId}) RETURN count(d) AS documents }
     CALL { MATCH ()-[m:MENTIONS {runId: $runId}]->() RETURN count(m) AS mentions }
     RETURN documents, mentions`,
    { runId },
  );
  return { graphDocuments: Number(records[0].get('documents')), mentions: Number(records[0].get('mentions')) };
}
