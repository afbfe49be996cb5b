"""Phase 2C mode (APEX_DOUBLE_MOCK_ACTIVITIES=1): mock activities under the real names that touch no store and no
S3 and return the documented shapes, as the team's 2C worker did."""

from __future__ import annotations

import uuid
from typing import Optional

from temporalio import activity

from . import standins

MOCK_STORES = ["postgres", "neo4j", "qdrant", "redis"]


@activity.defn(name="download_from_s3_activity")
def download_from_s3_activity(document_id: str, source: str, bucket: Optional[str] = None,
                              prefix: Optional[str] = None) -> str:
    return f"/mock-staging/{prefix or source}/{document_id}"


@activity.defn(name="parse_document_activity")
def parse_document_activity(file_path: str) -> dict:
    name = file_path.rsplit("/", 1)[-1]
    content = f"Mock document {name}."
    return {"uuid": str(uuid.uuid4()), "content": content,
            "metadata": {"file_name": name, "doc_type": name.rsplit(".", 1)[-1], "file_size": len(content), "title": name},
            "chunks": standins.chunk_paragraphs(content)}


@activity.defn(name="extract_entities_activity")
def extract_entities_activity(parsed_doc: dict) -> list:
    return standins.extract_entities(parsed_doc.get("content", ""))


@activity.defn(name="generate_embeddings_activity")
def generate_embeddings_activity(parsed_doc: dict) -> dict:
    return {"document_embedding": standins.embed(parsed_doc.get("content", "")),
            "chunk_embeddings": [standins.embed(chunk["text"]) for chunk in parsed_doc.get("chunks") or []]}


@activity.defn(name="write_to_databases_activity")
def write_to_databases_activity(parsed_doc: dict, entities: list, embeddings: dict) -> dict:
    return {"status": "success", "document_id": parsed_doc.get("document_id"), "uuid": parsed_doc["uuid"],
            "databases_written": MOCK_STORES}


MOCK_ACTIVITIES = [download_from_s3_activity, parse_document_activity, extract_entities_activity,
                   generate_embeddings_activity, write_to_databases_activity]
