import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { StackContext } from '../../../src/config/stack-context.js';
import {
  dataStatements,
  planSchemaFiles,
  projectCollections,
  projectSchemaFiles,
  schemaFileFailure,
  type SchemaFile,
} from '../../../src/services/project-schema.js';
import { thrown } from '../../support/thrown.js';

const DOUBLE_SCHEMAS = new URL('../../apex-memory-double/schemas/', import.meta.url).pathname;

/** A stack whose config names the project's files, relative to `projectDir`. */
function stackWith(schema: object, projectDir = DOUBLE_SCHEMAS): StackContext {
  return { config: configSchema.parse({ schema }), credentials: {} as StackContext['credentials'], env: {}, projectDir, templatesDir: '' };
}

function projectWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-project-schema-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const file = (name: string, checksum = `sum-${name}`): SchemaFile => ({ file: name, checksum, statements: [] });

describe('projectSchemaFiles', () => {
  it("splits the team's PostgreSQL schema into its statements, each with the line it starts on", () => {
    const [schema] = projectSchemaFiles(stackWith({ postgres: ['postgres_schema.sql'] }), 'postgres');
    expect(schema.file).toBe('postgres_schema.sql');
    expect(schema.checksum).toMatch(/^[0-9a-f]{64}$/);
    const heads = schema.statements.map((statement) => `${statement.line} ${statement.text.split('\n')[0]}`);
    expect(heads).toEqual([
      '5 CREATE EXTENSION IF NOT EXISTS vector',
      '7 CREATE TABLE IF NOT EXISTS documents (',
      '19 CREATE INDEX IF NOT EXISTS documents_file_name_idx ON documents (file_name)',
      '21 CREATE TABLE IF NOT EXISTS chunks (',
      '32 CREATE TABLE IF NOT EXISTS entities (',
      '39 CREATE TABLE IF NOT EXISTS document_entities (',
      '44 CREATE INDEX IF NOT EXISTS document_entities_entity_uuid_idx ON document_entities (entity_uuid)',
    ]);
    expect(schema.statements[1].text).toContain('embedding vector(1536)');
  });

  it("splits the team's Cypher schema, with the APOC call as one statement", () => {
    const [schema] = projectSchemaFiles(stackWith({ neo4j: ['neo4j_schema.cypher'] }), 'neo4j');
    expect(schema.statements.map((statement) => statement.line)).toEqual([4, 5, 6, 9]);
    expect(schema.statements[3].text).toBe("CALL apoc.schema.assert({Document: ['file_name']}, {}, false)");
  });

  it('keeps $$ bodies, quoted semicolons and comments inside their statement', () => {
    const dir = projectWith({
      'functions.sql': [
        '-- a function with semicolons in its body',
        'CREATE FUNCTION touch() RETURNS trigger AS $$',
        'BEGIN NEW.updated_at := now(); RETURN NEW; END;',
        '$$ LANGUAGE plpgsql;',
        "INSERT INTO notes (text) VALUES ('a; b'); /* c; d */ SELECT 1;",
      ].join('\n'),
    });
    const [schema] = projectSchemaFiles(stackWith({ postgres: ['functions.sql'] }, dir), 'postgres');
    expect(schema.statements.map((statement) => statement.line)).toEqual([2, 5, 5]);
    expect(schema.statements[0].text).toContain('RETURN NEW; END;\n$$ LANGUAGE plpgsql');
    expect(schema.statements[1].text).toBe("INSERT INTO notes (text) VALUES ('a; b')");
  });
});

describe('planSchemaFiles', () => {
  const files = [file('a.sql'), file('b.sql')];

  it('applies the files not yet recorded, in the listed order, and nothing on a second run', () => {
    expect(planSchemaFiles('postgres', files, [{ file: 'a.sql', checksum: 'sum-a.sql' }]).pending.map((f) => f.file)).toEqual(['b.sql']);
    const again = planSchemaFiles('postgres', files, [
      { file: 'a.sql', checksum: 'sum-a.sql' },
      { file: 'b.sql', checksum: 'sum-b.sql' },
    ]);
    expect(again.pending).toEqual([]);
    expect(again.applied.map((f) => f.file)).toEqual(['a.sql', 'b.sql']);
  });

  it('refuses an applied file that was edited since, naming it and what to do', () => {
    const error = thrown(() => planSchemaFiles('neo4j', files, [{ file: 'a.sql', checksum: 'before' }]));
    expect(error.code).toBe('SCHEMA_FILE_CHANGED');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('a.sql changed after neo4j applied it (checksum differs).');
    expect(error.fix).toContain('undo the edit to a.sql and put the change in a new file listed after it under schema.neo4j');
  });

  it('refuses a store that applied a file the config no longer lists', () => {
    const error = thrown(() => planSchemaFiles('postgres', files, [{ file: 'old.sql', checksum: 'x' }]));
    expect(error.code).toBe('SCHEMA_FILE_UNLISTED');
    expect(error.message).toBe('postgres has applied old.sql, which schema.postgres in the config no longer lists.');
  });
});

describe('schemaFileFailure', () => {
  it("names file:line of the failing statement and the server's message", () => {
    const failing = { file: 'schemas/postgres_schema.sql', checksum: 'x', statements: [{ text: 'CREATE TABLE t (v vector(3))', line: 12 }] };
    const error = schemaFileFailure('postgres', failing, failing.statements[0], new Error('type "vector" does not exist'));
    expect(error.message).toBe('schemas/postgres_schema.sql:12: postgres refused the statement: type "vector" does not exist');
    expect(error.fix).toContain('schemas/postgres_schema.sql:12');
    expect(error.details).toEqual(['statement: CREATE TABLE t (v vector(3))']);
  });
});

describe('dataStatements', () => {
  it('picks the statements that write rows or nodes, not the schema', () => {
    const sql = projectWith({ 's.sql': 'CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nCREATE INDEX i ON t (a);\nupdate t set a = 2;' });
    const [pg] = projectSchemaFiles(stackWith({ postgres: ['s.sql'] }, sql), 'postgres');
    expect(dataStatements('postgres', pg).map((statement) => statement.line)).toEqual([2, 4]);
    const cypher = projectWith({
      's.cypher': [
        'CREATE CONSTRAINT c IF NOT EXISTS FOR (n:A) REQUIRE n.id IS UNIQUE;',
        'CREATE TEXT INDEX t IF NOT EXISTS FOR (n:A) ON (n.name);',
        'CREATE (:A {id: 1});',
        'MERGE (b:B {id: 2});',
        "CALL apoc.schema.assert({A: ['name']}, {}, false);",
      ].join('\n'),
    });
    const [graph] = projectSchemaFiles(stackWith({ neo4j: ['s.cypher'] }, cypher), 'neo4j');
    expect(dataStatements('neo4j', graph).map((statement) => statement.line)).toEqual([3, 4]);
  });
});

describe('projectCollections', () => {
  it("reads the team's collections file", () => {
    expect(projectCollections(stackWith({ qdrant: 'qdrant_collections.yaml' }))).toEqual([{ name: 'apex_documents', size: 1536, distance: 'Cosine' }]);
  });

  it('names the file and key of a mistake, exit code 2', () => {
    const dir = projectWith({ 'c.json': '{"collections": [{"name": "docs", "size": "1536"}]}' });
    const error = thrown(() => projectCollections(stackWith({ qdrant: 'c.json' }, dir)));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('c.json: collections.0.size: Expected number, received string');
  });
});
