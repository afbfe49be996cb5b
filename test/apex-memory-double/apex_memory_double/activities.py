"""The documented activities, registered under their Python function names, on the real stores: the S3 era's
download, and what both eras run once the document is staged (parse, extract, embed, write)."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional

from botocore.exceptions import ClientError
from temporalio import activity
from temporalio.exceptions import ApplicationError

from . import metrics, standins
from .document import DocumentToStore
from .saga import StoreSaga

# Content types that name a format; anything else (none, binary/octet-stream) falls back to the document id's extension.
_EXTENSIONS = {
    "text/plain": ".txt", "text/markdown": ".md", "text/csv": ".csv", "text/html": ".html",
    "application/json": ".json", "application/pdf": ".pdf", "application/xml": ".xml", "text/xml": ".xml",
}
_TEXT_FORMATS = frozenset({".txt", ".md", ".markdown", ".csv", ".html", ".htm", ".json", ".xml", ".log"})


def document_extension(document_id: str, content_type: Optional[str]) -> str:
    base = (content_type or "").split(";")[0].strip().lower()
    return _EXTENSIONS.get(base) or Path(document_id).suffix.lower()


def staged_file(folder: Path, document_id: str, content_type: Optional[str]) -> Path:
    """The staging path of a document: named after it, with the extension its format calls for."""
    name = Path(document_id).name or "document"
    extension = document_extension(document_id, content_type)
    if Path(name).suffix.lower() != extension:
        name += extension
    return folder / name


class S3DownloadActivity:
    """The S3 era's first activity."""

    def __init__(self, s3_client, default_bucket: str, staging_dir: Path) -> None:
        self._s3 = s3_client
        self._default_bucket = default_bucket
        self._staging_dir = staging_dir

    @activity.defn(name="download_from_s3_activity")
    def download_from_s3_activity(self, document_id: str, source: str, bucket: Optional[str] = None,
                                  prefix: Optional[str] = None) -> str:
        """Downloads {prefix or source}/{document_id} to a staging file named after the document; returns its path."""
        bucket = bucket or self._default_bucket
        key = f"{prefix or source}/{document_id}"
        started = time.perf_counter()
        try:
            response = self._s3.get_object(Bucket=bucket, Key=key)
            body = response["Body"].read()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "NoSuchBucket", "404"):
                raise ApplicationError(f"s3://{bucket}/{key} does not exist ({code})", type="DocumentNotFoundError",
                                       non_retryable=True) from error
            raise ApplicationError(f"download of s3://{bucket}/{key} failed: {error}", type="S3DownloadError") from error
        metrics.s3_download_duration.observe(time.perf_counter() - started)
        metrics.document_size.observe(len(body))
        target = staged_file(Path(tempfile.mkdtemp(prefix="doc-", dir=self._staging_dir)), document_id,
                             response.get("ContentType"))
        target.write_bytes(body)
        return str(target)


class DocumentPipelineActivities:
    """What both eras run on a staged file. In the S3 era, which has no cleanup activity, the parse removes the
    download's folder once read; in the staging era cleanup_staging_activity does."""

    def __init__(self, saga: StoreSaga, parse_removes_staged_file: bool) -> None:
        self._saga = saga
        self._parse_removes_staged_file = parse_removes_staged_file

    def all(self) -> list:
        return [self.parse_document_activity, self.extract_entities_activity, self.generate_embeddings_activity,
                self.write_to_databases_activity]

    @activity.defn(name="parse_document_activity")
    def parse_document_activity(self, file_path: str) -> dict:
        """Reads the staged file (text formats only) and splits it into paragraph chunks."""
        path = Path(file_path)
        if path.suffix.lower() not in _TEXT_FORMATS:
            raise ApplicationError(f"the double parses text formats only ({', '.join(sorted(_TEXT_FORMATS))}), "
                                   f"not {path.suffix or 'a file without extension'}: {path.name}",
                                   type="UnsupportedFormatError", non_retryable=True)
        try:
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise ApplicationError(f"staged file {file_path} is gone", type="ParseError", non_retryable=True) from error
        content = data.decode("utf-8", errors="replace")
        chunks = standins.chunk_paragraphs(content)
        metrics.chunks_per_document.observe(len(chunks))
        if self._parse_removes_staged_file:
            shutil.rmtree(path.parent, ignore_errors=True)
        title = next((line.strip()[:200] for line in content.splitlines() if line.strip()), path.name)
        return {
            "uuid": str(uuid.uuid4()),
            "content": content,
            "metadata": {"file_name": path.name, "doc_type": path.suffix.lstrip(".").lower(), "file_size": len(data),
                         "title": title},
            "chunks": chunks,
        }

    @activity.defn(name="extract_entities_activity")
    def extract_entities_activity(self, parsed_doc: dict) -> list:
        entities = standins.extract_entities(parsed_doc.get("content", ""))
        metrics.entities_per_document.observe(len(entities))
        for entity in entities:
            metrics.entities_by_type.labels(entity["entity_type"]).inc()
        return entities

    @activity.defn(name="generate_embeddings_activity")
    def generate_embeddings_activity(self, parsed_doc: dict) -> dict:
        chunk_embeddings = [standins.embed(chunk["text"]) for chunk in parsed_doc.get("chunks") or []]
        metrics.embeddings_per_document.observe(len(chunk_embeddings) + 1)
        return {"document_embedding": standins.embed(parsed_doc.get("content", "")), "chunk_embeddings": chunk_embeddings}

    @activity.defn(name="write_to_databases_activity")
    def write_to_databases_activity(self, parsed_doc: dict, entities: list, embeddings: dict) -> dict:
        return self._saga.write(DocumentToStore.from_activity_results(parsed_doc, entities, embeddings))
