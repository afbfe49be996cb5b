"""Redis: the document cache hash doc:{uuid} (TTL 3600 s), the idempotency key, and the dead-letter list."""

from __future__ import annotations

import json

import redis

from ..document import DocumentToStore
from ..settings import Settings

CACHE_TTL_SECONDS = 3600
DEAD_LETTER_LIST = "dlq:ingestion"


def cache_key(document_uuid: str) -> str:
    return f"doc:{document_uuid}"


def idempotency_key(document_uuid: str) -> str:
    return f"idempotency:ingest:{document_uuid}"


class RedisStore:
    name = "redis"

    def __init__(self, settings: Settings, pool_size: int) -> None:
        pool = redis.BlockingConnectionPool(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db,
                                            password=settings.redis_password, decode_responses=True,
                                            max_connections=pool_size, timeout=30)
        self._pool = pool
        self._client = redis.Redis(connection_pool=pool)
        self._client.ping()

    def close(self) -> None:
        self._client.close()
        self._pool.disconnect()

    def completed_result(self, document_uuid: str) -> dict | None:
        """The result of an earlier write of this document (a retried activity), if one completed."""
        stored = self._client.get(idempotency_key(document_uuid))
        return json.loads(stored) if stored else None

    def write(self, doc: DocumentToStore, result: dict) -> None:
        pipe = self._client.pipeline(transaction=True)
        pipe.hset(cache_key(doc.uuid), mapping={
            "document_id": doc.document_id, "file_name": doc.file_name, "title": doc.title, "source": doc.source,
            "doc_type": doc.doc_type, "chunk_count": len(doc.chunks), "entity_count": len(doc.entities),
        })
        pipe.expire(cache_key(doc.uuid), CACHE_TTL_SECONDS)
        pipe.set(idempotency_key(doc.uuid), json.dumps(result), ex=CACHE_TTL_SECONDS)
        pipe.execute()

    def rollback(self, doc: DocumentToStore) -> None:
        self._client.delete(cache_key(doc.uuid), idempotency_key(doc.uuid))

    def dead_letter(self, entry: dict) -> None:
        self._client.lpush(DEAD_LETTER_LIST, json.dumps(entry))
