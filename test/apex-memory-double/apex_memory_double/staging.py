"""The staging era's first and last activities: pull a document from where its source says into the staging folder
(`{staging}/{source}/{document_id}/`), and remove that folder when the workflow is done with it. No S3."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from temporalio import activity
from temporalio.exceptions import ApplicationError

from . import metrics
from .activities import staged_file

# The sources the double can pull from; the team's worker also knows frontapp and google_drive.
PULLED_SOURCES = ("http", "https", "local_upload")
_HTTP_TIMEOUT_SECONDS = 30


def _not_found(message: str) -> ApplicationError:
    return ApplicationError(message, type="DocumentNotFoundError", non_retryable=True)


def _fetch_url(url: str) -> tuple[bytes, str | None]:
    if urlparse(url).scheme not in ("http", "https"):
        raise ApplicationError(f"{url!r} is not an http(s) URL", type="UnsupportedSourceError", non_retryable=True)
    try:
        with urllib.request.urlopen(url, timeout=_HTTP_TIMEOUT_SECONDS) as response:
            return response.read(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            raise _not_found(f"GET {url} answered {error.code}") from error
        raise ApplicationError(f"GET {url} answered {error.code}", type="DocumentPullError") from error
    except (urllib.error.URLError, OSError) as error:
        raise ApplicationError(f"GET {url} failed: {error}", type="DocumentPullError") from error


def _read_upload(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as error:
        raise _not_found(f"local upload {path} does not exist") from error


class StagingActivities:
    def __init__(self, staging_dir: Path) -> None:
        self._staging_dir = staging_dir

    @activity.defn(name="pull_and_stage_document_activity")
    def pull_and_stage_document_activity(self, document_id: str, source: str, source_location: str) -> str:
        """GETs an http(s) URL or copies a local upload into the staging folder; returns the staged file's path."""
        if source in ("http", "https"):
            body, content_type = _fetch_url(source_location)
        elif source == "local_upload":
            body, content_type = _read_upload(source_location), None
        else:
            raise ApplicationError(f"the double pulls from {', '.join(PULLED_SOURCES)} only, not {source!r}",
                                   type="UnsupportedSourceError", non_retryable=True)
        metrics.document_size.observe(len(body))
        folder = self._staging_dir / source / (Path(document_id).name or "document")
        folder.mkdir(parents=True, exist_ok=True)
        target = staged_file(folder, document_id, content_type)
        target.write_bytes(body)
        return str(target)

    @activity.defn(name="cleanup_staging_activity")
    def cleanup_staging_activity(self, staging_path: str) -> None:
        """Removes the staged file's folder; a folder already gone is fine. Refuses paths outside the staging folder."""
        folder = Path(staging_path).parent.resolve()
        if not folder.is_relative_to(self._staging_dir.resolve()) or folder == self._staging_dir.resolve():
            raise ApplicationError(f"{staging_path} is not a staged file under {self._staging_dir}",
                                   type="StagingPathError", non_retryable=True)
        shutil.rmtree(folder, ignore_errors=True)

    def all(self) -> list:
        return [self.pull_and_stage_document_activity, self.cleanup_staging_activity]
