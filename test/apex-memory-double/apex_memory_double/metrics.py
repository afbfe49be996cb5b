"""The 26 apex_temporal_* application metrics of the team's worker, with their documented types and labels.

Every HELP text says that the series comes from the contract double, so a scrape can never be mistaken for the
team's worker. The workflow code reaches this module through the sandbox's pass-through imports and records only
when it is not replaying.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from prometheus_client import Counter, Gauge, Histogram

_DOUBLE = "(apex-memory contract double)"
_SIZE_BUCKETS = (128, 256, 512, 1024, 4096, 16384, 65536, 262144, 1048576, 10485760)
_COUNT_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500)

workflow_started = Counter("apex_temporal_workflow_started_total", f"Workflows started {_DOUBLE}", ["workflow_type"])
workflow_completed = Counter(
    "apex_temporal_workflow_completed_total", f"Workflows completed, by result status {_DOUBLE}", ["workflow_type", "status"]
)
workflow_retries = Counter("apex_temporal_workflow_retries_total", f"Workflow executions that are a retry {_DOUBLE}", ["workflow_type"])
activity_started = Counter("apex_temporal_activity_started_total", f"Activity attempts started {_DOUBLE}", ["activity_name"])
activity_completed = Counter(
    "apex_temporal_activity_completed_total", f"Activity attempts finished, by status {_DOUBLE}", ["activity_name", "status"]
)
activity_retry_count = Counter("apex_temporal_activity_retry_count", f"Activity attempts after the first {_DOUBLE}", ["activity_name"])
activity_failure_reasons = Counter(
    "apex_temporal_activity_failure_reasons", f"Failed activity attempts, by error type {_DOUBLE}", ["activity_name", "error_type"]
)
entities_by_type = Counter("apex_temporal_entities_by_type", f"Entities extracted, by type {_DOUBLE}", ["entity_type"])
databases_written = Counter(
    "apex_temporal_databases_written", f"Store writes, by store and status (success, failed, rolled_back) {_DOUBLE}", ["database", "status"]
)
saga_rollback_triggered = Counter("apex_temporal_saga_rollback_triggered", f"Saga rollbacks, by reason {_DOUBLE}", ["reason"])
worker_poll_success = Counter("apex_temporal_worker_poll_success", f"Tasks this worker received, by task type {_DOUBLE}", ["task_type"])
documents_by_source = Counter("apex_temporal_documents_by_source", f"Documents received, by source {_DOUBLE}", ["source"])
relationships_total = Counter("apex_temporal_relationships_total", f"Graph relationships written, by type {_DOUBLE}", ["relationship_type"])

workflow_duration = Histogram(
    "apex_temporal_workflow_duration_seconds",
    f"Workflow start to close {_DOUBLE}",
    ["workflow_type", "status"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
)
activity_duration = Histogram("apex_temporal_activity_duration_seconds", f"Activity attempt run time {_DOUBLE}", ["activity_name"])
chunks_per_document = Histogram("apex_temporal_chunks_per_document", f"Chunks parsed per document {_DOUBLE}", buckets=_COUNT_BUCKETS)
entities_per_document = Histogram("apex_temporal_entities_per_document", f"Entities extracted per document {_DOUBLE}", buckets=_COUNT_BUCKETS)
embeddings_per_document = Histogram(
    "apex_temporal_embeddings_per_document", f"Embeddings generated per document (document + chunks) {_DOUBLE}", buckets=_COUNT_BUCKETS
)
workflow_task_latency = Histogram(
    "apex_temporal_workflow_task_latency_seconds", f"Workflow start to its first workflow task {_DOUBLE}"
)
document_size = Histogram("apex_temporal_document_size_bytes", f"Size of downloaded documents {_DOUBLE}", buckets=_SIZE_BUCKETS)
s3_download_duration = Histogram("apex_temporal_s3_download_duration_seconds", f"S3 download time {_DOUBLE}")

workflow_in_progress = Gauge("apex_temporal_workflow_in_progress", f"Workflows running on this worker {_DOUBLE}", ["workflow_type"])
worker_task_slots_available = Gauge(
    "apex_temporal_worker_task_slots_available", f"Free activity task slots {_DOUBLE}", ["worker_type"]
)
worker_task_slots_used = Gauge("apex_temporal_worker_task_slots_used", f"Busy activity task slots {_DOUBLE}", ["worker_type"])
task_queue_depth = Gauge("apex_temporal_task_queue_depth", f"Approximate backlog of the task queue {_DOUBLE}", ["task_queue", "task_type"])
ingestion_throughput = Gauge(
    "apex_temporal_ingestion_throughput_per_minute", f"Workflows completed in the last 60 s {_DOUBLE}"
)

ALL_METRICS = (
    workflow_started, workflow_completed, workflow_retries, activity_started, activity_completed, activity_retry_count,
    activity_failure_reasons, entities_by_type, databases_written, saga_rollback_triggered, worker_poll_success,
    documents_by_source, relationships_total, workflow_duration, activity_duration, chunks_per_document,
    entities_per_document, embeddings_per_document, workflow_task_latency, document_size, s3_download_duration,
    workflow_in_progress, worker_task_slots_available, worker_task_slots_used, task_queue_depth, ingestion_throughput,
)


class _Frozen:
    """A metric child that records nothing."""

    def _ignore(self, *_args: object, **_kwargs: object) -> None:
        return None

    inc = dec = set = observe = _ignore


def freeze(name: str) -> bool:
    """Makes the metric of that name (with or without a counter's `_total`) record nothing from now on, as a worker
    with a broken counter would: it stays exposed, with HELP and TYPE, and never moves. False for an unknown name."""
    for metric in ALL_METRICS:
        family = metric.describe()[0].name
        if name in (family, f"{family}_total"):
            frozen = _Frozen()
            metric.labels = lambda *_args, **_kwargs: frozen  # type: ignore[method-assign]
            metric.inc = metric.dec = metric.set = metric.observe = frozen._ignore  # type: ignore[method-assign,attr-defined]
            return True
    return False


class ThroughputWindow:
    """Completions in the last minute, kept as timestamps."""

    def __init__(self, window_seconds: float = 60.0) -> None:
        self._window = window_seconds
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def record(self) -> None:
        with self._lock:
            self._times.append(time.monotonic())
        self.refresh()

    def refresh(self) -> None:
        with self._lock:
            horizon = time.monotonic() - self._window
            while self._times and self._times[0] < horizon:
                self._times.popleft()
            ingestion_throughput.set(len(self._times))


throughput_window = ThroughputWindow()


def record_workflow_started(workflow_type: str, source: str, attempt: int, first_task_latency_seconds: float) -> None:
    workflow_started.labels(workflow_type).inc()
    workflow_in_progress.labels(workflow_type).inc()
    documents_by_source.labels(source).inc()
    worker_poll_success.labels("workflow").inc()
    workflow_task_latency.observe(max(first_task_latency_seconds, 0.0))
    if attempt > 1:
        workflow_retries.labels(workflow_type).inc()


def record_workflow_completed(workflow_type: str, status: str, duration_seconds: float) -> None:
    workflow_completed.labels(workflow_type, status).inc()
    workflow_in_progress.labels(workflow_type).dec()
    workflow_duration.labels(workflow_type, status).observe(max(duration_seconds, 0.0))
    throughput_window.record()
