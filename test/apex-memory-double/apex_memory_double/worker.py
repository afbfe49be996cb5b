"""Starts the apex-memory contract double: `python -m apex_memory_double.worker` (the team's worker starts as
`python -m apex_memory.temporal.workers.dev_worker`). Configuration comes from the documented environment variables;
see README.md."""

from __future__ import annotations

import asyncio
import logging
import shutil
import signal
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import boto3
from botocore.config import Config
from prometheus_client import start_http_server
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.worker import Worker

from . import metrics
from .activities import DocumentPipelineActivities, S3DownloadActivity
from .activity_metrics import ActivityMetricsInterceptor, ActivitySlots
from .mock_activities import MOCK_ACTIVITIES
from .saga import StoreSaga
from .settings import Settings
from .staging import StagingActivities
from .stores.neo4j_store import Neo4jStore
from .stores.postgres_store import PostgresStore
from .stores.qdrant_store import QdrantStore
from .stores.redis_store import RedisStore
from .workflow import DocumentIngestionWorkflow, StagingDocumentIngestionWorkflow

log = logging.getLogger("apex_memory_double")
_QUEUE_DEPTH_INTERVAL_SECONDS = 5.0


def _staging_dir(settings: Settings, resources: ExitStack) -> Path:
    """APEX_DOUBLE_STAGING_DIR (created when missing, kept at exit), else a temporary folder removed at exit."""
    if settings.staging_dir:
        staging = Path(settings.staging_dir)
        staging.mkdir(parents=True, exist_ok=True)
        return staging
    staging = Path(tempfile.mkdtemp(prefix="apex-memory-double-"))
    resources.callback(shutil.rmtree, staging, True)
    return staging


def _s3_download(settings: Settings, staging: Path) -> list:
    s3 = boto3.session.Session().client(
        "s3", endpoint_url=settings.s3_endpoint_url, region_name=settings.aws_default_region,
        aws_access_key_id=settings.aws_access_key_id, aws_secret_access_key=settings.aws_secret_access_key,
        config=Config(max_pool_connections=settings.max_concurrent_activities, s3={"addressing_style": "path"},
                      retries={"max_attempts": 3}),
    )
    return [S3DownloadActivity(s3, settings.documents_bucket, staging).download_from_s3_activity]


def _real_activities(settings: Settings, resources: ExitStack) -> list:
    pool = settings.max_concurrent_activities
    postgres = PostgresStore(settings, pool)
    resources.callback(postgres.close)
    log.info("postgres %s:%s/%s ready (schema applied, embedding column %s)", settings.postgres_host,
             settings.postgres_port, settings.postgres_db, postgres.embedding_type)
    neo4j = Neo4jStore(settings, pool)
    resources.callback(neo4j.close)
    qdrant = QdrantStore(settings)
    resources.callback(qdrant.close)
    redis = RedisStore(settings, pool)
    resources.callback(redis.close)
    staging = _staging_dir(settings, resources)
    staging_era = settings.era == "staging"
    log.info("%s era: documents are staged in %s", settings.era, staging)
    first_and_last = StagingActivities(staging).all() if staging_era else _s3_download(settings, staging)
    pipeline = DocumentPipelineActivities(StoreSaga(postgres, neo4j, qdrant, redis), parse_removes_staged_file=not staging_era)
    return first_and_last + pipeline.all()


async def _publish_queue_depth(client: Client, settings: Settings) -> None:
    """The task queue's approximate backlog per task type, and the last minute's throughput, every few seconds."""
    kinds = {"workflow": TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, "activity": TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY}
    while True:
        for label, kind in kinds.items():
            try:
                response = await client.workflow_service.describe_task_queue(DescribeTaskQueueRequest(
                    namespace=settings.temporal_namespace, task_queue=TaskQueue(name=settings.temporal_task_queue),
                    task_queue_type=kind, report_stats=True))
                metrics.task_queue_depth.labels(settings.temporal_task_queue, label).set(
                    response.stats.approximate_backlog_count)
            except Exception as error:  # the gauge keeps its last value; the worker goes on
                log.debug("describe_task_queue failed: %s", error)
        metrics.throughput_window.refresh()
        await asyncio.sleep(_QUEUE_DEPTH_INTERVAL_SECONDS)


async def run(settings: Settings) -> None:
    start_http_server(settings.metrics_port)
    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
    with ExitStack() as resources:
        activities = MOCK_ACTIVITIES if settings.mock_activities else _real_activities(settings, resources)
        executor = ThreadPoolExecutor(max_workers=settings.max_concurrent_activities)
        resources.callback(executor.shutdown)
        worker = Worker(
            client, task_queue=settings.temporal_task_queue, workflows=[
                StagingDocumentIngestionWorkflow if settings.era == "staging" else DocumentIngestionWorkflow],
            activities=activities, activity_executor=executor,
            max_concurrent_activities=settings.max_concurrent_activities,
            interceptors=[ActivityMetricsInterceptor(ActivitySlots(settings.max_concurrent_activities))],
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        depth = asyncio.create_task(_publish_queue_depth(client, settings))
        async with worker:
            mode = "mock activities, no store or S3 (phase 2C mode)" if settings.mock_activities else f"real stores, {settings.era} era"
            log.info("apex-memory contract double polling namespace=%s task_queue=%s at %s (%s); metrics on :%d",
                     settings.temporal_namespace, settings.temporal_task_queue, settings.temporal_address, mode,
                     settings.metrics_port)
            await stop.wait()
            log.info("apex-memory contract double stopping")
        depth.cancel()


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s apex-memory-double %(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = Settings.from_environment()
    problem = settings.problem()
    if not problem and settings.frozen_metric and not metrics.freeze(settings.frozen_metric):
        problem = f"APEX_DOUBLE_FROZEN_METRIC={settings.frozen_metric} names none of the 26 apex_temporal_* metrics"
    if problem:
        log.error(problem)
        sys.exit(2)
    asyncio.run(run(settings))


if __name__ == "__main__":
    main()
