"""The saga inside write_to_databases_activity: write each store in turn; on a failure roll back what was written
(in the order Redis, Qdrant, PostgreSQL, Neo4j), push a dead-letter entry, and fail the activity for good."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from temporalio.exceptions import ApplicationError

from . import metrics
from .document import DocumentToStore
from .stores.neo4j_store import Neo4jStore
from .stores.postgres_store import PostgresStore
from .stores.qdrant_store import QdrantStore
from .stores.redis_store import RedisStore

log = logging.getLogger("apex_memory_double.saga")

ROLLBACK_ORDER = ("redis", "qdrant", "postgres", "neo4j")


class InjectedWriteFault(Exception):
    """The document carries an `APEX-FAULT: fail-write:<store>` line."""


class StoreSaga:
    def __init__(self, postgres: PostgresStore, neo4j: Neo4jStore, qdrant: QdrantStore, redis: RedisStore) -> None:
        self._postgres, self._neo4j, self._qdrant, self._redis = postgres, neo4j, qdrant, redis
        self._stores = {store.name: store for store in (postgres, neo4j, qdrant, redis)}

    def write(self, doc: DocumentToStore) -> dict:
        previous = self._redis.completed_result(doc.uuid)
        if previous:
            return previous
        written: list[str] = []
        relationships: dict[str, int] = {}
        fault = doc.fault_store()
        for name in ("postgres", "neo4j", "qdrant", "redis"):
            try:
                if fault == name:
                    raise InjectedWriteFault(f"APEX-FAULT line in the document: {name} write fails")
                if name == "postgres":
                    self._postgres.write(doc)
                elif name == "neo4j":
                    relationships = self._neo4j.write(doc)
                elif name == "qdrant":
                    self._qdrant.write(doc)
                else:
                    self._redis.write(doc, self._result(doc, [*written, name]))
            except Exception as error:
                metrics.databases_written.labels(name, "failed").inc()
                raise self._compensate(doc, name, error, written) from error
            metrics.databases_written.labels(name, "success").inc()
            written.append(name)
        for relationship_type, count in relationships.items():
            metrics.relationships_total.labels(relationship_type).inc(count)
        return self._result(doc, written)

    @staticmethod
    def _result(doc: DocumentToStore, written: list[str]) -> dict:
        return {"status": "success", "document_id": doc.document_id, "uuid": doc.uuid, "databases_written": written}

    def _compensate(self, doc: DocumentToStore, failed: str, error: Exception, written: list[str]) -> ApplicationError:
        metrics.saga_rollback_triggered.labels(f"{failed}_write_failed").inc()
        rolled_back: list[str] = []
        rollback_errors: dict[str, str] = {}
        for name in (store for store in ROLLBACK_ORDER if store in written):
            try:
                self._stores[name].rollback(doc)
                rolled_back.append(name)
                metrics.databases_written.labels(name, "rolled_back").inc()
            except Exception as rollback_error:  # a failed rollback is reported, and the others still run
                rollback_errors[name] = str(rollback_error)
                log.error("double saga: rollback of %s for %s failed: %s", name, doc.uuid, rollback_error)
        entry = {
            "document_id": doc.document_id, "uuid": doc.uuid, "source": doc.source, "failed_store": failed,
            "error": str(error), "rolled_back": rolled_back, "rollback_errors": rollback_errors,
            "failed_at": datetime.now(timezone.utc).isoformat(),
        }
        message = f"{failed} write failed: {error}; rolled back {', '.join(rolled_back) or 'nothing'}"
        try:
            self._redis.dead_letter(entry)
        except Exception as dlq_error:
            message += f"; dead-letter entry not written: {dlq_error}"
        if rollback_errors:
            message += f"; rollback failed for {', '.join(rollback_errors)}"
        log.warning("double saga: %s (%s)", message, doc.document_id)
        return ApplicationError(message, entry, type="DatabaseWriteError", non_retryable=True)
