"""Neo4j: (:Document {uuid, …}), (:Document)-[:HAS_CHUNK]->(:Chunk), (:Entity)-[:MENTIONED_IN]->(:Document)."""

from __future__ import annotations

import logging

import neo4j

from ..document import DocumentToStore
from ..settings import Settings

log = logging.getLogger("apex_memory_double.neo4j")

# A transaction stuck behind a lock (a schema change, another client) fails after this instead of holding the activity.
TRANSACTION_TIMEOUT_SECONDS = 60

# No constraint on Document.uuid: apex's own migrations hold that one on a shared graph, and an equivalent
# constraint under another name would stop them from creating theirs.
_CONSTRAINTS = (
    "CREATE CONSTRAINT apex_double_chunk_uuid IF NOT EXISTS FOR (c:Chunk) REQUIRE c.uuid IS UNIQUE",
    "CREATE CONSTRAINT apex_double_entity_uuid IF NOT EXISTS FOR (e:Entity) REQUIRE e.uuid IS UNIQUE",
)

_WRITE_DOCUMENT = """
MERGE (d:Document {uuid: $uuid})
SET d.document_id = $document_id, d.file_name = $file_name, d.title = $title, d.doc_type = $doc_type,
    d.source = $source, d.file_size = $file_size, d.chunk_count = size($chunks),
    d.created_at = coalesce(d.created_at, datetime())
WITH d
UNWIND $chunks AS chunk
MERGE (c:Chunk {uuid: chunk.uuid})
SET c.document_uuid = $uuid, c.chunk_index = chunk.index, c.text = chunk.text
MERGE (d)-[:HAS_CHUNK]->(c)
"""

_WRITE_MENTIONS = """
MATCH (d:Document {uuid: $uuid})
UNWIND $entities AS entity
MERGE (e:Entity {uuid: entity.uuid})
  ON CREATE SET e.name = entity.name, e.entity_type = entity.entity_type
MERGE (e)-[:MENTIONED_IN]->(d)
"""

# Locking each entity first (SET then REMOVE a property) makes the "no other mention" check see every committed
# mention, so a concurrent writer's new mention is never deleted with the entity.
_DELETE_ORPHAN_ENTITIES = """
UNWIND $entity_uuids AS entity_uuid
MATCH (e:Entity {uuid: entity_uuid})
SET e._apex_double_lock = true
REMOVE e._apex_double_lock
WITH e
WHERE NOT (e)-[:MENTIONED_IN]->(:Document)
DETACH DELETE e
"""


class Neo4jStore:
    name = "neo4j"

    def __init__(self, settings: Settings, pool_size: int) -> None:
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        self._driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth, max_connection_pool_size=pool_size)
        self._driver.verify_connectivity()
        with self._driver.session() as session:
            for statement in _CONSTRAINTS:
                try:
                    session.run(statement).consume()
                except neo4j.exceptions.ClientError as error:
                    # An equivalent constraint under another name (apex's own migrations) serves as well.
                    log.info("constraint not created (%s): %s", statement.split(" IF")[0], error.message)

    def close(self) -> None:
        self._driver.close()

    def write(self, doc: DocumentToStore) -> dict[str, int]:
        """Writes the document, its chunks and mentions; returns how many relationships of each type it holds."""
        chunks = [{"uuid": c.uuid, "index": c.index, "text": c.text} for c in doc.chunks]
        entities = [{"uuid": e["uuid"], "name": e["name"], "entity_type": e["entity_type"]} for e in doc.entities]

        @neo4j.unit_of_work(timeout=TRANSACTION_TIMEOUT_SECONDS)
        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(_WRITE_DOCUMENT, uuid=doc.uuid, document_id=doc.document_id, file_name=doc.file_name, title=doc.title,
                   doc_type=doc.doc_type, source=doc.source, file_size=doc.file_size, chunks=chunks).consume()
            tx.run(_WRITE_MENTIONS, uuid=doc.uuid, entities=entities).consume()

        with self._driver.session() as session:
            session.execute_write(work)
        return {"HAS_CHUNK": len(chunks), "MENTIONED_IN": len(entities)}

    def rollback(self, doc: DocumentToStore) -> None:
        """Deletes the document, its chunks, and the entities no other document mentions."""

        @neo4j.unit_of_work(timeout=TRANSACTION_TIMEOUT_SECONDS)
        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run("MATCH (c:Chunk {document_uuid: $uuid}) DETACH DELETE c", uuid=doc.uuid).consume()
            tx.run("MATCH (d:Document {uuid: $uuid}) DETACH DELETE d", uuid=doc.uuid).consume()
            tx.run(_DELETE_ORPHAN_ENTITIES, entity_uuids=[e["uuid"] for e in doc.entities]).consume()

        with self._driver.session() as session:
            session.execute_write(work)
