// (:Document {uuid, runId, fileName}) -[:MENTIONS {runId}]-> (:Entity {key, name, kind}); key = "<kind>:<lower-cased name>".
// Every statement is re-runnable (IF NOT EXISTS): apex repairs a damaged schema by applying the files again.
CREATE CONSTRAINT document_uuid_unique IF NOT EXISTS FOR (d:Document) REQUIRE d.uuid IS UNIQUE;
CREATE CONSTRAINT entity_key_unique IF NOT EXISTS FOR (e:Entity) REQUIRE e.key IS UNIQUE;
CREATE CONSTRAINT apex_migration_version_unique IF NOT EXISTS FOR (m:ApexMigration) REQUIRE m.version IS UNIQUE;
CREATE INDEX document_run_id IF NOT EXISTS FOR (d:Document) ON (d.runId);
CREATE INDEX mentions_run_id IF NOT EXISTS FOR ()-[m:MENTIONS]-() ON (m.runId);
