"""The environment variables the team's worker documents, read once at start (defaults as documented)."""

from __future__ import annotations

import os
from dataclasses import dataclass

# APEX_DOUBLE_ERA: the S3 era (download from S3) or the staging era (pull into a staging folder, no S3).
ERAS = ("s3", "staging")


def _env(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _optional(name: str) -> str | None:
    return os.environ.get(name) or None


@dataclass(frozen=True)
class Settings:
    temporal_address: str
    temporal_namespace: str
    temporal_task_queue: str
    postgres_host: str
    postgres_port: int
    postgres_user: str
    postgres_password: str | None
    postgres_db: str
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str | None
    qdrant_host: str
    qdrant_port: int
    qdrant_api_key: str | None
    redis_host: str
    redis_port: int
    redis_db: int
    redis_password: str | None
    s3_endpoint_url: str | None
    aws_access_key_id: str | None
    aws_secret_access_key: str | None
    aws_default_region: str
    documents_bucket: str
    metrics_port: int
    mock_activities: bool
    max_concurrent_activities: int
    era: str
    staging_dir: str | None
    frozen_metric: str | None

    @staticmethod
    def from_environment() -> "Settings":
        # TEMPORAL_ADDRESS (host:port, the Temporal Cloud variable) wins over TEMPORAL_HOST/TEMPORAL_PORT.
        address = _optional("TEMPORAL_ADDRESS") or f"{_env('TEMPORAL_HOST', 'localhost')}:{_env('TEMPORAL_PORT', '7233')}"
        return Settings(
            temporal_address=address,
            temporal_namespace=_env("TEMPORAL_NAMESPACE", "default"),
            temporal_task_queue=_env("TEMPORAL_TASK_QUEUE", "apex-ingestion-queue"),
            postgres_host=_env("POSTGRES_HOST", "localhost"),
            postgres_port=int(_env("POSTGRES_PORT", "5432")),
            postgres_user=_env("POSTGRES_USER", "apex"),
            postgres_password=_optional("POSTGRES_PASSWORD"),
            postgres_db=_env("POSTGRES_DB", "apex_memory"),
            neo4j_uri=_env("NEO4J_URI", "bolt://localhost:7687"),
            neo4j_user=_env("NEO4J_USER", "neo4j"),
            neo4j_password=_optional("NEO4J_PASSWORD"),
            qdrant_host=_env("QDRANT_HOST", "localhost"),
            qdrant_port=int(_env("QDRANT_PORT", "6333")),
            qdrant_api_key=_optional("QDRANT_API_KEY"),
            redis_host=_env("REDIS_HOST", "localhost"),
            redis_port=int(_env("REDIS_PORT", "6379")),
            redis_db=int(_env("REDIS_DB", "0")),
            redis_password=_optional("REDIS_PASSWORD"),
            s3_endpoint_url=_optional("S3_ENDPOINT_URL"),
            aws_access_key_id=_optional("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=_optional("AWS_SECRET_ACCESS_KEY"),
            aws_default_region=_env("AWS_DEFAULT_REGION", "us-east-1"),
            documents_bucket=_env("APEX_DOCUMENTS_BUCKET", "apex-documents"),
            metrics_port=int(_env("METRICS_PORT", "9091")),
            mock_activities=_env("APEX_DOUBLE_MOCK_ACTIVITIES", "0") not in ("0", "false", "no"),
            max_concurrent_activities=int(_env("APEX_DOUBLE_MAX_CONCURRENT_ACTIVITIES", "50")),
            era=_env("APEX_DOUBLE_ERA", "s3"),
            staging_dir=_optional("APEX_DOUBLE_STAGING_DIR"),
            frozen_metric=_optional("APEX_DOUBLE_FROZEN_METRIC"),
        )

    def problem(self) -> str | None:
        """Why the double cannot start with these settings, with the fix, or None."""
        if self.era not in ERAS:
            return f"APEX_DOUBLE_ERA={self.era} is not one of {', '.join(ERAS)}; unset it for the S3 era"
        if self.era == "staging" and self.mock_activities:
            return "the mock activities are the S3 era's (phase 2C); unset APEX_DOUBLE_ERA or APEX_DOUBLE_MOCK_ACTIVITIES"
        return None
