import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackContext } from '../../src/config/stack-context.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { checksumOf } from '../../src/services/migrations.js';
import { seedStack, type SeedResult } from '../../src/services/seeding.js';
import { resetStack } from '../../src/stack/reset.js';
import { removeBuckets, storeClients, type StoreClients } from '../support/isolated-stack.js';
import { adminPool } from '../support/scratch-stores.js';
import { skipOrFail } from '../support/docker-gate.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['postgres', 'neo4j', 'qdrant', 's3']);

const STORES = ['postgres', 'neo4j', 'qdrant', 's3'].map(serviceByName);
const NAMES = { database: 'apex_project_schema_it', collection: 'apex_project_schema_it', bucket: 'apex-project-schema-it' };
/** apex's own collection and buckets, moved aside from other suites'. */
const OWN_INGESTION = 'ingestion: { bucket: apex-psit, testBucket: apex-psit-test, qdrantCollection: apex_psit }\n';

const SQL = [
  '-- notes, upper-cased by a trigger; re-running any statement here fails, so a second run would show',
  'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);',
  'CREATE FUNCTION notes_upper() RETURNS trigger AS $$',
  'BEGIN NEW.body := upper(NEW.body); RETURN NEW; END;',
  '$$ LANGUAGE plpgsql;',
  'CREATE TRIGGER notes_upper BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_upper();',
  "INSERT INTO notes (body) VALUES ('seeded; row');",
].join('\n');
const CYPHER = [
  '// a constraint and a seeded node; CREATE again would violate the constraint',
  'CREATE CONSTRAINT it_project_note_id IF NOT EXISTS FOR (n:ItProjectNote) REQUIRE n.id IS UNIQUE;',
  "CREATE (:ItProjectNote {id: 1, body: 'seeded; node // not a comment'});",
].join('\n');

const CONFIG = [
  OWN_INGESTION,
  'schema:',
  '  postgres: [schemas/it_schema.sql]',
  '  neo4j: [schemas/it_graph.cypher]',
  '  qdrant: schemas/collections.yaml',
  `  s3: { buckets: [${NAMES.bucket}] }`,
].join('\n');

const byService = <Result extends { service: string }>(results: Result[]): Record<string, Result> =>
  Object.fromEntries(results.map((result) => [result.service, result]));

async function recreateDatabase(stack: StackContext, name: string, create = true): Promise<void> {
  const admin = adminPool(stack);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (create) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/** The buckets and collections these tests seed, removed with what they hold. */
async function removeBucketsAndCollections(clients: StoreClients): Promise<void> {
  for (const collection of [NAMES.collection, 'apex_psit']) await clients.qdrant.deleteCollection(collection);
  await removeBuckets(clients.s3, [NAMES.bucket, 'apex-psit', 'apex-psit-test']);
}

/** The graph's records of the project files these tests apply, and what those files created. */
async function removeGraphData(clients: StoreClients, files: readonly string[]): Promise<void> {
  await clients.neo4j.executeQuery('MATCH (f:ApexSchemaFile) WHERE f.file IN $files DELETE f', { files });
  await clients.neo4j.executeQuery('MATCH (n:ItProjectNote) DETACH DELETE n');
  for (const name of ['it_project_note_id', 'it_broken_a']) await clients.neo4j.executeQuery(`DROP CONSTRAINT ${name} IF EXISTS`);
}

describe.skipIf(missing)("apex seed and apex reset with the project's own schema files, against the real servers", () => {
  const { stack } = externalStack(CONFIG, {
    'schemas/it_schema.sql': SQL,
    'schemas/it_graph.cypher': CYPHER,
    'schemas/collections.yaml': `collections:\n  - { name: ${NAMES.collection}, size: 8, distance: Dot }\n`,
  });
  stack.credentials = { ...stack.credentials, postgresDb: NAMES.database };
  const file = (path: string) => join(stack.projectDir, path);
  let clients: StoreClients;
  let first: Record<string, SeedResult>;
  const notes = async () => (await clients.pg.query('SELECT id, body FROM notes ORDER BY id')).rows;
  const graphNotes = async () =>
    (await clients.neo4j.executeQuery('MATCH (n:ItProjectNote) RETURN n.id AS id, n.body AS body ORDER BY id')).records.map((record) => record.toObject());

  beforeAll(async () => {
    await recreateDatabase(stack, NAMES.database);
    clients = await storeClients(stack);
    await removeGraphData(clients, ['schemas/it_graph.cypher', 'schemas/it_broken.cypher']);
    await removeBucketsAndCollections(clients);
    first = byService(await seedStack(stack, STORES));
  });
  afterAll(async () => {
    if (!clients) return;
    await removeGraphData(clients, ['schemas/it_graph.cypher', 'schemas/it_broken.cypher']);
    await removeBucketsAndCollections(clients);
    await clients.close();
    await recreateDatabase(stack, NAMES.database, false);
  });

  it("PostgreSQL: applies the file once, records it with its checksum, and leaves apex's own migrations out of the database", async () => {
    expect(first.postgres).toMatchObject({ ok: true, applied: ['schema file schemas/it_schema.sql'] });
    expect(first.postgres.unchanged).toEqual([`apex's own migrations left out: schema.postgres declares ${NAMES.database}`]);
    const tables = await clients.pg.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(tables.rows.map((row) => row.table_name)).toEqual(['apex_schema_files', 'notes']);
    const recorded = await clients.pg.query('SELECT file, checksum FROM apex_schema_files');
    expect(recorded.rows).toEqual([{ file: 'schemas/it_schema.sql', checksum: checksumOf(SQL) }]);
    expect(await notes()).toEqual([{ id: 1, body: 'SEEDED; ROW' }]);
  });

  it('Neo4j: applies the file once and records it as an :ApexSchemaFile node', async () => {
    expect(first.neo4j).toMatchObject({ ok: true, applied: ['schema file schemas/it_graph.cypher'] });
    expect(await graphNotes()).toEqual([{ id: 1, body: 'seeded; node // not a comment' }]);
    const constraint = await clients.neo4j.executeQuery("SHOW CONSTRAINTS YIELD name WHERE name = 'it_project_note_id' RETURN name");
    expect(constraint.records).toHaveLength(1);
    const recorded = await clients.neo4j.executeQuery("MATCH (f:ApexSchemaFile {file: 'schemas/it_graph.cypher'}) RETURN f.checksum AS checksum");
    expect(recorded.records.map((record) => record.get('checksum'))).toEqual([checksumOf(CYPHER)]);
  });

  it('Qdrant and S3: creates the declared collection with its size and distance, and the declared bucket', async () => {
    expect(first.qdrant.applied).toContain(`collection ${NAMES.collection} (8, Dot)`);
    const info = await clients.qdrant.getCollection(NAMES.collection);
    expect(info.config.params.vectors).toMatchObject({ size: 8, distance: 'Dot' });
    expect(first.s3.applied).toContain(`bucket ${NAMES.bucket}`);
    await clients.s3.send(new HeadBucketCommand({ Bucket: NAMES.bucket }));
  });

  it('a second seed applies nothing and finds everything in place', async () => {
    const second = byService(await seedStack(stack, STORES));
    for (const result of Object.values(second)) expect(result, result.service).toMatchObject({ ok: true, applied: [] });
    expect(second.postgres.unchanged).toContain('schema file schemas/it_schema.sql');
    expect(second.neo4j.unchanged).toContain('schema file schemas/it_graph.cypher');
    expect(second.qdrant.unchanged).toContain(`collection ${NAMES.collection} (8, Dot)`);
    expect(await notes()).toHaveLength(1);
  });

  it('apex reset brings every store back to the seeded state: rows and nodes the files insert are there once, the rest is gone', async () => {
    await clients.pg.query("INSERT INTO notes (body) VALUES ('written later')");
    await clients.neo4j.executeQuery("CREATE (:ItProjectNote {id: 2, body: 'written later'})");
    await clients.qdrant.upsert(NAMES.collection, { wait: true, points: [{ id: 1, vector: [1, 0, 0, 0, 0, 0, 0, 0] }] });
    await clients.s3.send(new PutObjectCommand({ Bucket: NAMES.bucket, Key: 'later.txt', Body: 'later' }));

    const results = byService(await resetStack(stack, STORES, { yes: true }));
    for (const result of Object.values(results)) expect(result, result.service).toMatchObject({ ok: true });
    expect(results.postgres.cleared).toEqual([`truncated public.notes in ${NAMES.database}`, 'schemas/it_schema.sql: ran its 1 data statement again']);
    expect(results.qdrant.cleared).toContain(`dropped collection ${NAMES.collection} (1 points)`);

    expect(await notes()).toEqual([{ id: 1, body: 'SEEDED; ROW' }]);
    expect(await graphNotes()).toEqual([{ id: 1, body: 'seeded; node // not a comment' }]);
    const info = await clients.qdrant.getCollection(NAMES.collection);
    expect(info).toMatchObject({ points_count: 0, config: { params: { vectors: { size: 8, distance: 'Dot' } } } });
    expect((await clients.s3.send(new ListObjectsV2Command({ Bucket: NAMES.bucket }))).KeyCount).toBe(0);
    const recorded = await clients.pg.query('SELECT file FROM apex_schema_files');
    expect(recorded.rows).toEqual([{ file: 'schemas/it_schema.sql' }]);
  });

  it('a file added to the list is applied alone; a failing statement is named by file:line with the server message, and nothing of its file stays', async () => {
    writeFileSync(file('schemas/it_more.sql'), 'ALTER TABLE notes ADD COLUMN tag text;\n');
    writeFileSync(file('schemas/it_broken.sql'), 'CREATE TABLE half_done (id int);\n\n-- the next one fails\nCREATE TABLE broken (x nosuchtype);\n');
    writeFileSync(
      file('schemas/it_broken.cypher'),
      'CREATE CONSTRAINT it_broken_a IF NOT EXISTS FOR (n:ItBroken) REQUIRE n.id IS UNIQUE;\nCREATE CONSTRAINT FOR broken;\n',
    );
    stack.config.schema.postgres!.push('schemas/it_more.sql', 'schemas/it_broken.sql');
    stack.config.schema.neo4j!.push('schemas/it_broken.cypher');
    try {
      const results = byService(await seedStack(stack, STORES.slice(0, 2)));
      expect(results.postgres.ok).toBe(false);
      expect(results.postgres.error).toBe(
        'schemas/it_broken.sql:4: postgres refused the statement: type "nosuchtype" does not exist\nstatement: CREATE TABLE broken (x nosuchtype)',
      );
      expect(results.postgres.fix).toContain('Fix the statement at schemas/it_broken.sql:4');
      const recorded = await clients.pg.query('SELECT file FROM apex_schema_files ORDER BY file');
      expect(recorded.rows.map((row) => row.file)).toEqual(['schemas/it_more.sql', 'schemas/it_schema.sql']);
      expect((await clients.pg.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();
      expect(
        (await clients.pg.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'tag'")).rows[0].n,
      ).toBe(1);

      expect(results.neo4j.ok).toBe(false);
      expect(results.neo4j.error).toMatch(/^schemas\/it_broken\.cypher:2: neo4j refused the statement: Invalid input/);
      const graphRecord = await clients.neo4j.executeQuery("MATCH (f:ApexSchemaFile {file: 'schemas/it_broken.cypher'}) RETURN f");
      expect(graphRecord.records).toHaveLength(0);
    } finally {
      // it_more.sql is applied: it stays listed, as an applied file must.
      stack.config.schema.postgres!.splice(2);
      stack.config.schema.neo4j!.splice(1);
    }
  });

  it('an applied file that changed is refused, naming the file and what to do; the stores are left as they were', async () => {
    writeFileSync(file('schemas/it_schema.sql'), `${SQL}\nINSERT INTO notes (body) VALUES ('edited');\n`);
    writeFileSync(file('schemas/it_graph.cypher'), `${CYPHER}\n// edited\n`);
    try {
      const results = byService(await seedStack(stack, STORES.slice(0, 2)));
      expect(results.postgres).toMatchObject({ ok: false, error: 'schemas/it_schema.sql changed after postgres applied it (checksum differs).' });
      expect(results.postgres.fix).toContain('undo the edit to schemas/it_schema.sql');
      expect(results.neo4j).toMatchObject({ ok: false, error: 'schemas/it_graph.cypher changed after neo4j applied it (checksum differs).' });
      expect(await notes()).toHaveLength(1);
    } finally {
      writeFileSync(file('schemas/it_schema.sql'), SQL);
      writeFileSync(file('schemas/it_graph.cypher'), CYPHER);
    }
  });

  it('a collection that exists with another size is reported, not changed', async () => {
    writeFileSync(file('schemas/collections.yaml'), `collections:\n  - { name: ${NAMES.collection}, size: 16, distance: Dot }\n`);
    try {
      const [result] = await seedStack(stack, [serviceByName('qdrant')]);
      expect(result.ok).toBe(false);
      expect(result.error).toBe(`qdrant collection ${NAMES.collection} has vectors {"size":8,"distance":"Dot"}, but config wants size 16, Dot.`);
      expect((await clients.qdrant.getCollection(NAMES.collection)).config.params.vectors).toMatchObject({ size: 8 });
    } finally {
      writeFileSync(file('schemas/collections.yaml'), `collections:\n  - { name: ${NAMES.collection}, size: 8, distance: Dot }\n`);
    }
  });
});

describe.skipIf(missing)("apex's own migrations leave the project's tables alone", () => {
  const TEAM_TABLE = 'CREATE TABLE documents (uuid uuid PRIMARY KEY, file_name text NOT NULL)';

  it('refuses to migrate a database whose documents table it did not create, and touches nothing of it', async () => {
    const { stack } = externalStack(OWN_INGESTION);
    stack.credentials = { ...stack.credentials, postgresDb: NAMES.database };
    await recreateDatabase(stack, NAMES.database);
    const clients = await storeClients(stack);
    try {
      await clients.pg.query(TEAM_TABLE);
      const [result] = await seedStack(stack, [serviceByName('postgres')]);
      expect(result.ok).toBe(false);
      expect(result.error).toBe(
        `postgres: ${NAMES.database} already has documents, which apex's migration 001_documents.sql did not create; apex leaves it alone.`,
      );
      expect(result.fix).toContain('`schema.postgres`');
      const indexes = await clients.pg.query("SELECT indexname FROM pg_indexes WHERE tablename = 'documents'");
      expect(indexes.rows.map((row) => row.indexname)).toEqual(['documents_pkey']);
      expect((await clients.pg.query("SELECT to_regclass('chunks') AS t")).rows[0].t).toBeNull();
    } finally {
      await clients.close();
      await recreateDatabase(stack, NAMES.database, false);
    }
  });

  it("with the contract's own database, apex's tables go to POSTGRES_DB and the project's files to the contract's database, which seed creates", async () => {
    const own = `${NAMES.database}_own`;
    const { stack } = externalStack(`${OWN_INGESTION}schema:\n  postgres: [team.sql]\ncontract:\n  use: apex-memory\n  postgresDatabase: ${NAMES.database}\n`, {
      'team.sql': `${TEAM_TABLE};\n`,
    });
    stack.credentials = { ...stack.credentials, postgresDb: own };
    await recreateDatabase(stack, own);
    await recreateDatabase(stack, NAMES.database, false);
    try {
      const [result] = await seedStack(stack, [serviceByName('postgres')]);
      expect(result).toMatchObject({ ok: true, applied: ['migration 001_documents', `database ${NAMES.database}`, 'schema file team.sql'] });
      const columns = async (database: string) => {
        const pool = createPostgresPool(resolveEndpoint(stack.config, serviceByName('postgres')), { ...stack.credentials, postgresDb: database }, 1);
        try {
          const { rows } = await pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'documents' ORDER BY ordinal_position");
          return rows.map((row) => row.column_name);
        } finally {
          await pool.end();
        }
      };
      expect(await columns(own)).toContain('run_id');
      expect(await columns(NAMES.database)).toEqual(['uuid', 'file_name']);
    } finally {
      await recreateDatabase(stack, own, false);
      await recreateDatabase(stack, NAMES.database, false);
    }
  });
});

/** Why the team's own files cannot be applied here: the server lacks pgvector or APOC (g-images adds both). */
async function missingPlugins(stack: StackContext): Promise<string | undefined> {
  const clients = await storeClients(stack);
  try {
    const vector = await clients.pg.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (vector.rowCount === 0) return 'the PostgreSQL server has no pgvector (pg_available_extensions lists no "vector")';
    const apoc = await clients.neo4j.executeQuery("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc' RETURN count(*) AS n");
    if (Number(apoc.records[0].get('n')) === 0) return 'the Neo4j server has no APOC procedures (SHOW PROCEDURES lists no apoc.*)';
    return undefined;
  } finally {
    await clients.close();
  }
}

const DOUBLE_SCHEMAS = new URL('../apex-memory-double/schemas/', import.meta.url).pathname;
const TEAM_FILES = {
  'schemas/postgres_schema.sql': readFileSync(join(DOUBLE_SCHEMAS, 'postgres_schema.sql'), 'utf8'),
  'schemas/neo4j_schema.cypher': readFileSync(join(DOUBLE_SCHEMAS, 'neo4j_schema.cypher'), 'utf8'),
};
const teamStack = () =>
  externalStack(`${OWN_INGESTION}schema:\n  postgres: [schemas/postgres_schema.sql]\n  neo4j: [schemas/neo4j_schema.cypher]\n`, TEAM_FILES).stack;
const pluginsMissing = missing ?? skipOrFail("the team's schema files (pgvector, APOC)", await missingPlugins(teamStack()));

describe.skipIf(pluginsMissing)("apex seed applies the team's schema: a pgvector column and APOC-dependent Cypher", () => {
  it('creates documents.embedding as vector(1536), queryable by distance, and the index apoc.schema.assert declares', async () => {
    const stack = teamStack();
    stack.credentials = { ...stack.credentials, postgresDb: NAMES.database };
    await recreateDatabase(stack, NAMES.database);
    const clients = await storeClients(stack);
    try {
      const results = byService(await seedStack(stack, STORES.slice(0, 2)));
      expect(results.postgres).toMatchObject({ ok: true, applied: ['schema file schemas/postgres_schema.sql'] });
      expect(results.neo4j).toMatchObject({ ok: true });
      const type = await clients.pg.query(
        "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attname = 'embedding'",
      );
      expect(type.rows).toEqual([{ type: 'vector(1536)' }]);
      const vector = (value: number) => `[${Array.from({ length: 1536 }, (_, index) => (index === 0 ? value : 0)).join(',')}]`;
      await clients.pg.query("INSERT INTO documents (uuid, file_name, embedding) VALUES (gen_random_uuid(), 'near', $1), (gen_random_uuid(), 'far', $2)", [
        vector(1),
        vector(-1),
      ]);
      const nearest = await clients.pg.query('SELECT file_name FROM documents ORDER BY embedding <-> $1 LIMIT 1', [vector(0.9)]);
      expect(nearest.rows).toEqual([{ file_name: 'near' }]);
      const index = await clients.neo4j.executeQuery(
        "SHOW INDEXES YIELD labelsOrTypes, properties WHERE labelsOrTypes = ['Document'] AND properties = ['file_name'] RETURN count(*) AS n",
      );
      expect(Number(index.records[0].get('n'))).toBe(1);
    } finally {
      await clients.neo4j.executeQuery("MATCH (f:ApexSchemaFile {file: 'schemas/neo4j_schema.cypher'}) DELETE f");
      await clients.close();
      await recreateDatabase(stack, NAMES.database, false);
    }
  });
});
