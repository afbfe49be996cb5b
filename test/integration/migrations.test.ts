import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceByName } from '../../src/services/catalog.js';
import { seedStack } from '../../src/services/seeding.js';
import { isolatedStack, recreateTestDatabase, storeClients, templatesWith, type StoreClients } from '../support/isolated-stack.js';
import { missingServers } from '../support/servers.js';

const missing = await missingServers(['postgres', 'neo4j']);
const postgres = [serviceByName('postgres')];
const neo4j = [serviceByName('neo4j')];

describe.skipIf(missing)('versioned migrations against the real PostgreSQL and Neo4j', () => {
  const { stack } = isolatedStack();
  let clients: StoreClients;
  const migrationRows = async () => (await clients.pg.query('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).rows;
  const columnsOf = async (table: string) =>
    (await clients.pg.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [table])).rows.map((row) => row.column_name as string);

  beforeAll(async () => {
    await recreateTestDatabase(stack);
    clients = await storeClients(stack);
  });
  afterAll(() => clients?.close());

  it('PostgreSQL: a newer migration applies only the delta', async () => {
    const [first] = await seedStack(stack, postgres);
    expect(first).toMatchObject({ ok: true, applied: ['migration 001_documents'] });
    const before = await migrationRows();

    const withDelta = {
      ...stack,
      templatesDir: templatesWith({
        'migrations/postgres/002_document_summary.sql':
          'ALTER TABLE documents ADD COLUMN IF NOT EXISTS summary text;\nCREATE INDEX IF NOT EXISTS documents_status_idx ON documents (status);\n',
      }),
    };
    const [second] = await seedStack(withDelta, postgres);
    expect(second).toMatchObject({ ok: true, applied: ['migration 002_document_summary'], unchanged: ['migration 001_documents'] });
    const after = await migrationRows();
    expect(after[0]).toEqual(before[0]);
    expect(after.map((row) => row.version)).toEqual([1, 2]);
    expect(await columnsOf('documents')).toContain('summary');

    const [third] = await seedStack(withDelta, postgres);
    expect(third).toMatchObject({ ok: true, applied: [] });
    expect(await migrationRows()).toEqual(after);
  });

  it('PostgreSQL: a failing migration leaves the previous state intact and names the file and the statement', async () => {
    const before = await migrationRows();
    const broken = {
      ...stack,
      templatesDir: templatesWith({
        'migrations/postgres/002_document_summary.sql':
          'ALTER TABLE documents ADD COLUMN IF NOT EXISTS summary text;\nCREATE INDEX IF NOT EXISTS documents_status_idx ON documents (status);\n',
        'migrations/postgres/003_broken.sql':
          '-- adds a column, then fails\nALTER TABLE documents ADD COLUMN broken_marker text;\nALTER TABLE no_such_table ADD COLUMN x int;\n',
      }),
    };
    const [result] = await seedStack(broken, postgres);
    expect(result.ok).toBe(false);
    expect(result.error).toContain('postgres migration 003_broken.sql failed at line 3');
    expect(result.error).toContain('ALTER TABLE no_such_table ADD COLUMN x int');
    expect(result.error).toContain('relation "no_such_table" does not exist');
    expect(result.fix).toContain('templates/migrations/postgres/003_broken.sql (line 3)');
    // The whole file rolled back: the first statement's column is not there, and 003 is not recorded.
    expect(await columnsOf('documents')).not.toContain('broken_marker');
    expect(await migrationRows()).toEqual(before);
  });

  it('PostgreSQL: refuses a migration file edited after it was applied', async () => {
    const edited = {
      ...stack,
      templatesDir: templatesWith({
        'migrations/postgres/002_document_summary.sql': 'ALTER TABLE documents ADD COLUMN IF NOT EXISTS summary varchar(10);\n',
      }),
    };
    const [result] = await seedStack(edited, postgres);
    expect(result.ok).toBe(false);
    expect(result.error).toContain('002_document_summary.sql changed after postgres applied it');
    expect(result.fix).toContain('append-only');
  });

  it('Neo4j: a failing migration names the statement and is not recorded', async () => {
    await seedStack(stack, neo4j);
    const broken = {
      ...stack,
      templatesDir: templatesWith({
        'migrations/neo4j/002_broken.cypher':
          '// the second statement is not Cypher\nCREATE INDEX apex_it_probe IF NOT EXISTS FOR (d:Document) ON (d.fileName);\nCREATE NONSENSE apex_it;\n',
      }),
    };
    try {
      const [result] = await seedStack(broken, neo4j);
      expect(result.ok).toBe(false);
      expect(result.error).toContain('neo4j migration 002_broken.cypher failed at line 3 (CREATE NONSENSE apex_it)');
      const recorded = await clients.neo4j.executeQuery('MATCH (m:ApexMigration) RETURN m.version AS version ORDER BY version');
      expect(recorded.records.map((record) => record.get('version'))).toEqual([1]);
    } finally {
      await clients.neo4j.executeQuery('DROP INDEX apex_it_probe IF EXISTS');
    }
  });
});
