"""Qdrant: collection apex_documents (1536-d, cosine), one document point and one point per chunk."""

from __future__ import annotations

from qdrant_client import QdrantClient, models

from ..document import DocumentToStore
from ..settings import Settings
from ..standins import EMBEDDING_DIMENSIONS

COLLECTION = "apex_documents"


def document_filter(document_uuid: str) -> models.Filter:
    return models.Filter(must=[models.FieldCondition(key="document_uuid", match=models.MatchValue(value=document_uuid))])


class QdrantStore:
    name = "qdrant"

    def __init__(self, settings: Settings) -> None:
        self._client = QdrantClient(host=settings.qdrant_host, port=settings.qdrant_port, api_key=settings.qdrant_api_key,
                                    https=False, timeout=30)
        if not self._client.collection_exists(COLLECTION):
            self._client.create_collection(
                COLLECTION, vectors_config=models.VectorParams(size=EMBEDDING_DIMENSIONS, distance=models.Distance.COSINE)
            )
        for field in ("document_uuid", "file_name"):
            self._client.create_payload_index(COLLECTION, field, models.PayloadSchemaType.KEYWORD)

    def close(self) -> None:
        self._client.close()

    def write(self, doc: DocumentToStore) -> None:
        common = {"document_uuid": doc.uuid, "file_name": doc.file_name, "document_id": doc.document_id, "source": doc.source}
        points = [
            models.PointStruct(id=doc.uuid, vector=doc.embedding,
                               payload={**common, "is_chunk": False, "chunk_index": None, "title": doc.title}),
            *(
                models.PointStruct(id=chunk.uuid, vector=chunk.embedding,
                                   payload={**common, "is_chunk": True, "chunk_index": chunk.index, "text": chunk.text})
                for chunk in doc.chunks
            ),
        ]
        self._client.upsert(COLLECTION, points=points, wait=True)

    def rollback(self, doc: DocumentToStore) -> None:
        self._client.delete(COLLECTION, points_selector=models.FilterSelector(filter=document_filter(doc.uuid)), wait=True)
