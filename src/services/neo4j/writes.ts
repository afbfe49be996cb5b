import type { Driver } from 'neo4j-driver';
import { entityKey, type Compensation, type Neo4jWrite } from '../../results/ingestion-contract.js';
import type { StoreWriter } from '../../results/store-writer.js';

/**
 * (:Document)-[:MENTIONS {runId}]->(:Entity), merged so that a retry changes nothing. Entities are shared by every
 * document; a run owns its Document nodes and MENTIONS relationships, and compensation removes exactly those.
 */
export function createNeo4jWriter(driver: Driver): StoreWriter<Neo4jWrite> {
  return {
    async write({ document, entities }) {
      // Sorted keys take locks in one order: concurrent documents sharing entities do not deadlock.
      const rows = entities.map((entity) => ({ key: entityKey(entity), name: entity.name, kind: entity.kind })).sort((a, b) => a.key.localeCompare(b.key));
      await driver.executeQuery(
        `MERGE (d:Document {uuid: $uuid}) SET d.runId = $runId, d.fileName = $fileName
         WITH d UNWIND $entities AS entity
         MERGE (e:Entity {key: entity.key}) ON CREATE SET e.name = entity.name, e.kind = entity.kind
         MERGE (d)-[m:MENTIONS]->(e) SET m.runId = $runId`,
        { uuid: document.uuid, runId: document.runId, fileName: document.fileName, entities: rows },
      );
    },
    async compensate({ documentUuid }: Compensation) {
      await driver.executeQuery('MATCH (d:Document {uuid: $uuid}) DETACH DELETE d', { uuid: documentUuid });
    },
  };
}
