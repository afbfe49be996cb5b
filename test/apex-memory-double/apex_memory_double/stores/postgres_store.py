"""PostgreSQL: the documented documents/chunks/entities/document_entities tables, one transaction per document."""

from __future__ import annotations

import logging
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from ..document import DocumentToStore
from ..settings import Settings

log = logging.getLogger("apex_memory_double.postgres")

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "postgres_schema.sql"
_CREATE_PGVECTOR = "CREATE EXTENSION IF NOT EXISTS vector;"
_SCHEMA_LOCK = 0x61706578  # one advisory lock serialises concurrent schema applications
_DOCUMENT_COLUMNS = ("uuid", "file_name", "title", "content", "doc_type", "embedding", "file_size", "chunk_count", "metadata")


def _conninfo(settings: Settings, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(
        host=settings.postgres_host,
        port=settings.postgres_port,
        user=settings.postgres_user,
        password=settings.postgres_password,
        dbname=dbname,
        application_name="apex-memory-double",
        # A statement stuck behind a lock fails after a minute instead of holding the activity.
        options="-c statement_timeout=60000",
    )


class PostgresStore:
    name = "postgres"

    def __init__(self, settings: Settings, pool_size: int) -> None:
        self._settings = settings
        _create_database_if_missing(settings)
        self.embedding_type = _apply_schema(_conninfo(settings, settings.postgres_db))
        self._vector = self.embedding_type.startswith("vector")
        self._pool = ConnectionPool(_conninfo(settings, settings.postgres_db), min_size=1, max_size=pool_size, open=True)

    def close(self) -> None:
        self._pool.close()

    def _embedding(self, values: list[float]) -> object:
        return "[" + ",".join(repr(value) for value in values) + "]" if self._vector else values

    def write(self, doc: DocumentToStore) -> None:
        cast = sql.SQL("::vector") if self._vector else sql.SQL("")
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            # Entity rows are shared between documents: lock them in uuid order so a concurrent rollback cannot delete
            # one this document is about to mention.
            cur.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(u, 0)) FROM unnest(%s::text[]) AS u",
                ([entity["uuid"] for entity in doc.entities],),
            )
            cur.execute(
                sql.SQL(
                    "INSERT INTO documents (uuid, file_name, title, content, doc_type, embedding, file_size, chunk_count, metadata)"
                    " VALUES (%s, %s, %s, %s, %s, %s{}, %s, %s, %s)"
                    " ON CONFLICT (uuid) DO UPDATE SET file_name = EXCLUDED.file_name, title = EXCLUDED.title,"
                    " content = EXCLUDED.content, doc_type = EXCLUDED.doc_type, embedding = EXCLUDED.embedding,"
                    " file_size = EXCLUDED.file_size, chunk_count = EXCLUDED.chunk_count, metadata = EXCLUDED.metadata"
                ).format(cast),
                (doc.uuid, doc.file_name, doc.title, doc.content, doc.doc_type, self._embedding(doc.embedding), doc.file_size,
                 len(doc.chunks), Jsonb({**doc.metadata, "document_id": doc.document_id, "source": doc.source})),
            )
            cur.executemany(
                sql.SQL(
                    "INSERT INTO chunks (uuid, document_uuid, content, embedding, chunk_index) VALUES (%s, %s, %s, %s{}, %s)"
                    " ON CONFLICT (uuid) DO UPDATE SET content = EXCLUDED.content, embedding = EXCLUDED.embedding"
                ).format(cast),
                [(chunk.uuid, doc.uuid, chunk.text, self._embedding(chunk.embedding), chunk.index) for chunk in doc.chunks],
            )
            cur.executemany(
                "INSERT INTO entities (uuid, entity_type, name) VALUES (%s, %s, %s) ON CONFLICT (uuid) DO NOTHING",
                [(entity["uuid"], entity["entity_type"], entity["name"]) for entity in doc.entities],
            )
            cur.executemany(
                "INSERT INTO document_entities (document_uuid, entity_uuid) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(doc.uuid, entity["uuid"]) for entity in doc.entities],
            )

    def rollback(self, doc: DocumentToStore) -> None:
        """Deletes the document (its chunks and mentions cascade) and the entities no other document mentions."""
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("DELETE FROM documents WHERE uuid = %s", (doc.uuid,))
            entity_uuids = [entity["uuid"] for entity in doc.entities]
            cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(u, 0)) FROM unnest(%s::text[]) AS u", (entity_uuids,))
            cur.execute(
                "DELETE FROM entities e WHERE e.uuid = ANY(%s::uuid[])"
                " AND NOT EXISTS (SELECT 1 FROM document_entities de WHERE de.entity_uuid = e.uuid)",
                (entity_uuids,),
            )


def _create_database_if_missing(settings: Settings) -> None:
    """The double keeps its tables in their own database (documented default apex_memory), apart from apex's."""
    with psycopg.connect(_conninfo(settings, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (settings.postgres_db,)).fetchone()
        if exists:
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings.postgres_db)))
            log.info("created database %s", settings.postgres_db)
        except psycopg.errors.DuplicateDatabase:
            pass


def _apply_schema(conninfo: str) -> str:
    """Applies schemas/postgres_schema.sql; returns the embedding column's type (vector(1536) or double precision[])."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            schema = SCHEMA_FILE.read_text()
            if not _vector_extension(conn):
                schema = schema.replace(_CREATE_PGVECTOR, "").replace("vector(1536)", "double precision[]")
            conn.execute(schema)
        columns = dict(conn.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 'documents'::regclass AND attnum > 0 AND NOT attisdropped"
        ).fetchall())
    missing = [column for column in _DOCUMENT_COLUMNS if column not in columns]
    if missing:
        raise SystemExit(
            f"database {conn.info.dbname} already has a documents table of another schema (no {', '.join(missing)}):"
            " give the double a database of its own, e.g. POSTGRES_DB=apex_memory (it is created when missing)"
        )
    return columns["embedding"]


def _vector_extension(conn: psycopg.Connection) -> bool:
    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        return True
    except psycopg.Error as error:
        log.info("pgvector is not available (%s): embeddings are stored as double precision[]",
                 error.diag.message_primary or str(error).splitlines()[0])
        return False
