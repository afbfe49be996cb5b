import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { StackContext } from '../../src/services/service.js';
import type { StoreClients } from './isolated-stack.js';

/**
 * What seed leaves in each store, read back through the stores' own clients: schema records with their timestamps,
 * constraints, the collection config, the objects with their ETags and dates. Equal snapshots mean nothing changed.
 */
export async function storeSnapshot(stack: StackContext, clients: StoreClients) {
  const { ingestion } = stack.config;
  const migrations = await clients.pg.query('SELECT version, name, checksum, applied_at::text AS applied_at FROM schema_migrations ORDER BY version');
  const columns = await clients.pg.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const indexes = await clients.pg.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
  const constraints = await clients.neo4j.executeQuery(
    'SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties ORDER BY name',
  );
  const graphIndexes = await clients.neo4j.executeQuery("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name ORDER BY name");
  const neo4jMigrations = await clients.neo4j.executeQuery(
    'MATCH (m:ApexMigration) RETURN m.version AS version, m.checksum AS checksum, toString(m.appliedAt) AS appliedAt ORDER BY version',
  );
  const collection = await clients.qdrant.getCollection(ingestion.qdrantCollection);
  const objects = await Promise.all(
    [ingestion.bucket, ingestion.testBucket].map(async (bucket) => {
      const listing = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      return {
        bucket,
        objects: (listing.Contents ?? []).map((object) => ({
          key: object.Key,
          etag: object.ETag,
          lastModified: object.LastModified?.toISOString(),
        })),
      };
    }),
  );
  const searchAttributes = await clients.temporal.operatorService.listSearchAttributes({ namespace: ingestion.namespace });
  return {
    postgres: { migrations: migrations.rows, columns: columns.rows, indexes: indexes.rows.map((row) => row.indexname) },
    neo4j: {
      constraints: constraints.records.map((record) => record.toObject()),
      indexes: graphIndexes.records.map((record) => record.get('name')),
      migrations: neo4jMigrations.records.map((record) => record.toObject()),
    },
    qdrant: {
      vectors: collection.config.params.vectors,
      payloadSchema: collection.payload_schema,
      points: collection.points_count,
    },
    redis: { schemaVersion: await clients.redis.get(`${ingestion.redisPrefix}schema_version`) },
    s3: objects,
    temporal: {
      ApexRunId: searchAttributes.customAttributes.ApexRunId,
      ApexPhase: searchAttributes.customAttributes.ApexPhase,
    },
  };
}
