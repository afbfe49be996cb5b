"""A minimal load script that does what the team's 2D pytest did: upload N small .txt documents to S3 (no
Content-Type), then `client.execute_workflow("DocumentIngestionWorkflow", args=[doc_id, "load-test", bucket,
"load-test"], …)` for each with bounded concurrency, timing every call. Prints one JSON object:
{count, succeeded, failed, seconds, throughput, p50, p95} (seconds: wall time; throughput: workflows/s;
p50/p95: per-workflow latency in milliseconds, linear interpolation between closest ranks).

Run it with the double's venv, e.g. `$APEX_MEMORY_DOUBLE_PYTHON test/apex-memory-double/load_script.py --count 50`.
Temporal and S3 come from the same environment variables the double reads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

import boto3
from botocore.exceptions import ClientError
from temporalio.client import Client

sys.path.insert(0, str(Path(__file__).resolve().parent))
from apex_memory_double.settings import Settings  # noqa: E402

SOURCE = "load-test"


def document_text(tag: str, index: int) -> bytes:
    """About 416 bytes, like the team's load-test documents."""
    text = (
        f"Load Test Document {index}\n\n"
        f"This document belongs to load run {tag}. It exercises the Apex Memory ingestion pipeline end to end: "
        "Temporal schedules the workflow, the worker downloads the file from S3, parses it into chunks, extracts "
        "entities and embeddings, and writes PostgreSQL, Neo4j, Qdrant and Redis.\n\n"
        "Paragraph three mentions Temporal, Qdrant and Redis again, so every document has several chunks."
    )
    return text.encode("utf-8")


def upload(settings: Settings, bucket: str, prefix: str, document_ids: list[str], tag: str) -> None:
    s3 = boto3.session.Session().client(
        "s3", endpoint_url=settings.s3_endpoint_url, region_name=settings.aws_default_region,
        aws_access_key_id=settings.aws_access_key_id, aws_secret_access_key=settings.aws_secret_access_key)
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError:
        s3.create_bucket(Bucket=bucket)
    for index, document_id in enumerate(document_ids):
        s3.put_object(Bucket=bucket, Key=f"{prefix}/{document_id}", Body=document_text(tag, index))


def percentile(sorted_values: list[float], q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=100, method="inclusive")[round(q * 100) - 1]


async def run_load(args: argparse.Namespace, settings: Settings) -> dict:
    tag = args.tag or uuid.uuid4().hex[:8]
    document_ids = [f"load-test-{tag}-doc-{index}.txt" for index in range(args.count)]
    if not args.no_upload:
        await asyncio.to_thread(upload, settings, args.bucket, args.prefix, document_ids, tag)
    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
    limit = asyncio.Semaphore(args.concurrency)
    latencies: list[float] = []
    statuses: list[str] = []

    async def one(index: int, document_id: str) -> None:
        async with limit:
            started = time.perf_counter()
            try:
                result = await client.execute_workflow(
                    "DocumentIngestionWorkflow", args=[document_id, SOURCE, args.bucket, args.prefix],
                    id=f"load-test-{tag}-{index}", task_queue=settings.temporal_task_queue)
                statuses.append(result.get("status", "missing") if isinstance(result, dict) else "missing")
            except Exception as error:  # a workflow that did not complete counts as failed
                statuses.append(f"error: {error}")
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one(index, document_id) for index, document_id in enumerate(document_ids)))
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    succeeded = statuses.count("success")
    return {
        "count": args.count, "succeeded": succeeded, "failed": args.count - succeeded, "seconds": round(seconds, 3),
        "throughput": round(args.count / seconds, 3) if seconds > 0 else 0.0,
        "p50": round(percentile(ordered, 0.5), 1) if ordered else None,
        "p95": round(percentile(ordered, 0.95), 1) if ordered else None,
    }


def main() -> None:
    settings = Settings.from_environment()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=50, help="documents (and workflows), default 50")
    parser.add_argument("--concurrency", type=int, default=50, help="workflows in flight at once, default 50")
    parser.add_argument("--bucket", default=settings.documents_bucket, help="default $APEX_DOCUMENTS_BUCKET")
    parser.add_argument("--prefix", default=SOURCE, help="key prefix, default load-test")
    parser.add_argument("--tag", help="names the run's documents load-test-{tag}-doc-{n}.txt (default: random)")
    parser.add_argument("--no-upload", action="store_true", help="the run's documents are already in the bucket")
    args = parser.parse_args()
    if args.count < 1 or args.concurrency < 1:
        parser.error("--count and --concurrency must be at least 1")
    print(json.dumps(asyncio.run(run_load(args, settings))))


if __name__ == "__main__":
    main()
