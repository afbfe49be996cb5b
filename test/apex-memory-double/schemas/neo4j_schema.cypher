// Schema of the apex-memory contract double's graph, in the shape of the team's: uniqueness constraints, and an
// index asserted through APOC (so the server needs the APOC plugin). `apex seed` applies it when apex.config.yaml
// lists it under schema.neo4j. Every statement is re-runnable.
CREATE CONSTRAINT document_uuid_unique IF NOT EXISTS FOR (d:Document) REQUIRE d.uuid IS UNIQUE;
CREATE CONSTRAINT apex_double_chunk_uuid IF NOT EXISTS FOR (c:Chunk) REQUIRE c.uuid IS UNIQUE;
CREATE CONSTRAINT apex_double_entity_uuid IF NOT EXISTS FOR (e:Entity) REQUIRE e.uuid IS UNIQUE;

// Documents are found by file name. dropExisting false: every other index and constraint stays.
CALL apoc.schema.assert({Document: ['file_name']}, {}, false);
