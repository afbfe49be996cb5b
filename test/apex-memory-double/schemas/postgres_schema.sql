-- Schema of the apex-memory contract double: the tables the team's worker documents (no run id; rows are found
-- by file_name), with their pgvector embeddings. `apex seed` applies it when apex.config.yaml lists it under
-- schema.postgres; the double also applies it at every start, with double precision[] for vector(1536) on a server
-- without pgvector. Every statement is re-runnable.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS documents (
  uuid uuid PRIMARY KEY,
  file_name text NOT NULL,
  title text,
  content text,
  doc_type text,
  embedding vector(1536),
  file_size bigint,
  chunk_count integer NOT NULL DEFAULT 0,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS documents_file_name_idx ON documents (file_name);

CREATE TABLE IF NOT EXISTS chunks (
  uuid uuid PRIMARY KEY,
  document_uuid uuid NOT NULL REFERENCES documents (uuid) ON DELETE CASCADE,
  content text NOT NULL,
  embedding vector(1536),
  chunk_index integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_uuid, chunk_index)
);

-- One row per (entity_type, name) across documents; document_entities says which documents mention it.
CREATE TABLE IF NOT EXISTS entities (
  uuid uuid PRIMARY KEY,
  entity_type text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS document_entities (
  document_uuid uuid NOT NULL REFERENCES documents (uuid) ON DELETE CASCADE,
  entity_uuid uuid NOT NULL REFERENCES entities (uuid) ON DELETE CASCADE,
  PRIMARY KEY (document_uuid, entity_uuid)
);
CREATE INDEX IF NOT EXISTS document_entities_entity_uuid_idx ON document_entities (entity_uuid);
