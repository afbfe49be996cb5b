-- Documents, their chunks and entities: one row per ingested file, written by the reference worker.
-- Every statement is re-runnable (IF NOT EXISTS): apex repairs a damaged schema by applying the files again.
CREATE TABLE IF NOT EXISTS documents (
  uuid uuid PRIMARY KEY,
  run_id text NOT NULL,
  file_name text NOT NULL,
  s3_key text NOT NULL,
  content_type text,
  content_hash text NOT NULL,
  status text NOT NULL,
  chunk_count integer,
  entity_count integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS chunks (
  uuid uuid PRIMARY KEY,
  document_uuid uuid NOT NULL REFERENCES documents (uuid) ON DELETE CASCADE,
  run_id text,
  ordinal integer,
  text text,
  content_hash text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS entities (
  uuid uuid PRIMARY KEY,
  document_uuid uuid NOT NULL REFERENCES documents (uuid) ON DELETE CASCADE,
  run_id text,
  name text,
  kind text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS documents_run_id_idx ON documents (run_id);
CREATE INDEX IF NOT EXISTS documents_file_name_idx ON documents (file_name);
CREATE INDEX IF NOT EXISTS chunks_run_id_idx ON chunks (run_id);
CREATE INDEX IF NOT EXISTS chunks_document_uuid_idx ON chunks (document_uuid);
CREATE INDEX IF NOT EXISTS entities_run_id_idx ON entities (run_id);
CREATE INDEX IF NOT EXISTS entities_document_uuid_idx ON entities (document_uuid);
