"""What write_to_databases_activity stores for one document, assembled from the three activity results."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

STORES = ("postgres", "neo4j", "qdrant", "redis")

# A line `APEX-FAULT: fail-write:<store>` in a document makes that store's write fail (saga tests).
_FAULT_LINE = re.compile(r"^APEX-FAULT:\s*fail-write:(\w+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class StoredChunk:
    uuid: str
    index: int
    text: str
    embedding: list[float]


@dataclass(frozen=True)
class DocumentToStore:
    uuid: str
    document_id: str
    source: str
    file_name: str
    title: str
    content: str
    doc_type: str
    file_size: int
    metadata: dict
    embedding: list[float]
    chunks: list[StoredChunk] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)

    @staticmethod
    def from_activity_results(parsed_doc: dict, entities: list[dict], embeddings: dict) -> "DocumentToStore":
        document_uuid = parsed_doc["uuid"]
        metadata = parsed_doc.get("metadata") or {}
        vectors = embeddings.get("chunk_embeddings") or []
        chunks = [
            StoredChunk(chunk_uuid(document_uuid, chunk["index"]), chunk["index"], chunk["text"], vectors[position])
            for position, chunk in enumerate(parsed_doc.get("chunks") or [])
        ]
        return DocumentToStore(
            uuid=document_uuid,
            document_id=parsed_doc.get("document_id") or metadata.get("file_name", ""),
            source=parsed_doc.get("source") or metadata.get("source") or "unknown",
            file_name=metadata.get("file_name", ""),
            title=metadata.get("title", ""),
            content=parsed_doc.get("content", ""),
            doc_type=metadata.get("doc_type", ""),
            file_size=int(metadata.get("file_size", 0)),
            metadata=metadata,
            embedding=embeddings["document_embedding"],
            chunks=chunks,
            entities=sorted(entities, key=lambda entity: entity["uuid"]),
        )

    def fault_store(self) -> str | None:
        """The store whose write this document asks to fail, if any."""
        match = _FAULT_LINE.search(self.content)
        return match.group(1) if match and match.group(1) in STORES else None


def chunk_uuid(document_uuid: str, index: int) -> str:
    return str(uuid.uuid5(uuid.UUID(document_uuid), f"chunk:{index}"))
