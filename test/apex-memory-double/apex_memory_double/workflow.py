"""DocumentIngestionWorkflow in the two documented eras: positional string arguments, activities called by name, and
a failure RETURNED from a completed workflow ({"status": "failed", …}), never raised. The eras differ only in how the
document reaches a staged file (S3 download, or pull-and-stage with a cleanup at the end); the rest is one path."""

from __future__ import annotations

from datetime import timedelta
from typing import Awaitable, Callable, Optional

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    import apex_memory_double.metrics as metrics

WORKFLOW_TYPE = "DocumentIngestionWorkflow"


def _retry(attempts: int, *non_retryable: str) -> RetryPolicy:
    return RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
                       maximum_interval=timedelta(seconds=30), maximum_attempts=attempts,
                       non_retryable_error_types=list(non_retryable))


def _failure_reason(error: ActivityError) -> str:
    cause = error.cause
    return f"{error.activity_type}: {cause.message if cause is not None and hasattr(cause, 'message') else error}"


class _DocumentIngestion:
    """The query and everything after the document is staged, shared by both eras' workflow classes."""

    def __init__(self) -> None:
        self._status = "pending"

    @workflow.query
    def get_status(self) -> str:
        return self._status

    async def _ingest(self, document_id: str, source: str, staging_step: str, stage: Callable[[], Awaitable[str]],
                      cleanup: Optional[Callable[[str], Awaitable[None]]] = None) -> dict:
        info = workflow.info()
        if not workflow.unsafe.is_replaying():
            metrics.record_workflow_started(WORKFLOW_TYPE, source, info.attempt,
                                            (workflow.now() - info.start_time).total_seconds())
        try:
            self._status = staging_step
            file_path = await stage()
            try:
                written = await self._process(document_id, source, file_path)
            finally:
                if cleanup is not None:
                    await cleanup(file_path)
        except ActivityError as error:
            self._status = "failed"
            self._record_completed("failed")
            return {"status": "failed", "document_id": document_id, "source": source, "error": _failure_reason(error),
                    "workflow_status": "failed"}
        self._status = "completed"
        self._record_completed("success")
        return {"status": "success", "document_id": document_id, "uuid": written["uuid"], "source": source,
                "databases_written": written["databases_written"], "workflow_status": "completed"}

    async def _process(self, document_id: str, source: str, file_path: str) -> dict:
        self._status = "parsing"
        parsed = await workflow.execute_activity(
            "parse_document_activity", file_path, start_to_close_timeout=timedelta(minutes=2),
            retry_policy=_retry(3, "UnsupportedFormatError", "ParseError"))
        parsed = {**parsed, "document_id": document_id, "source": source}
        self._status = "extracting_entities"
        entities = await workflow.execute_activity(
            "extract_entities_activity", parsed, start_to_close_timeout=timedelta(minutes=5), retry_policy=_retry(3))
        self._status = "generating_embeddings"
        embeddings = await workflow.execute_activity(
            "generate_embeddings_activity", parsed, start_to_close_timeout=timedelta(minutes=2), retry_policy=_retry(5))
        self._status = "writing_databases"
        return await workflow.execute_activity(
            "write_to_databases_activity", args=[parsed, entities, embeddings],
            start_to_close_timeout=timedelta(minutes=5), retry_policy=_retry(2, "DatabaseWriteError"))

    @staticmethod
    def _record_completed(status: str) -> None:
        if not workflow.unsafe.is_replaying():
            duration = (workflow.now() - workflow.info().start_time).total_seconds()
            metrics.record_workflow_completed(WORKFLOW_TYPE, status, duration)


@workflow.defn(name=WORKFLOW_TYPE)
class DocumentIngestionWorkflow(_DocumentIngestion):
    """S3 era: run(document_id, source="unknown", bucket=None, prefix=None)."""

    @workflow.run
    async def run(self, document_id: str, source: str = "unknown", bucket: Optional[str] = None,
                  prefix: Optional[str] = None) -> dict:
        return await self._ingest(document_id, source, "downloading", lambda: workflow.execute_activity(
            "download_from_s3_activity", args=[document_id, source, bucket, prefix],
            start_to_close_timeout=timedelta(seconds=60), retry_policy=_retry(3, "DocumentNotFoundError")))


@workflow.defn(name=WORKFLOW_TYPE)
class StagingDocumentIngestionWorkflow(_DocumentIngestion):
    """Staging era: run(document_id, source, source_location); the staged file is removed at the end, also when an
    activity after the staging failed."""

    @workflow.run
    async def run(self, document_id: str, source: str, source_location: str) -> dict:
        return await self._ingest(document_id, source, "staging", lambda: workflow.execute_activity(
            "pull_and_stage_document_activity", args=[document_id, source, source_location],
            start_to_close_timeout=timedelta(seconds=60),
            retry_policy=_retry(3, "DocumentNotFoundError", "UnsupportedSourceError")), self._cleanup)

    async def _cleanup(self, staged_path: str) -> None:
        """A cleanup that fails is logged; it does not change the document's result."""
        self._status = "cleaning_up"
        try:
            await workflow.execute_activity(
                "cleanup_staging_activity", staged_path, start_to_close_timeout=timedelta(seconds=30),
                retry_policy=_retry(2, "StagingPathError"))
        except ActivityError as error:
            workflow.logger.warning("staged file %s was not removed: %s", staged_path, _failure_reason(error))
