import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../../src/config/stack-context.js';
import {
  blankLineComments,
  checksumOf,
  declaredObjects,
  loadMigrations,
  migrationFailure,
  parseMigration,
  planMigrations,
  splitStatements,
} from '../../../src/services/migrations.js';
import { thrown } from '../../support/thrown.js';

const dirWith = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'apex-migrations-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('splitStatements', () => {
  it('splits SQL on semicolons outside strings, dollar quotes and comments, with the line each starts on', () => {
    const sql = [
      '-- header; with a semicolon',
      "CREATE TABLE a (x text DEFAULT ';');",
      '',
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;',
      '/* block; */ SELECT 2',
    ].join('\n');
    expect(splitStatements(sql, 'sql')).toEqual([
      { text: "CREATE TABLE a (x text DEFAULT ';')", line: 2 },
      { text: 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql', line: 4 },
      { text: 'SELECT 2', line: 5 },
    ]);
  });

  it('splits Cypher without taking // comments, -- relationships or quoted semicolons for separators', () => {
    const cypher = [
      '// a comment; with "a quote',
      "MATCH (a)--(b) WHERE a.name = 'x;y' RETURN a; // trailing; comment",
      'RETURN "http://example.com" AS url;',
    ].join('\n');
    expect(splitStatements(cypher, 'cypher')).toEqual([
      { text: "MATCH (a)--(b) WHERE a.name = 'x;y' RETURN a", line: 2 },
      { text: 'RETURN "http://example.com" AS url', line: 3 },
    ]);
  });

  it('blanks comments without moving anything', () => {
    const text = "RETURN 'a//b' // gone\nRETURN 1";
    const blanked = blankLineComments(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toBe("RETURN 'a//b'        \nRETURN 1");
  });
});

describe('loadMigrations', () => {
  it('orders by numeric version, not by name', () => {
    const dir = dirWith({ '010_later.sql': 'SELECT 10;', '002_second.sql': 'SELECT 2;', '001_first.sql': 'SELECT 1;', README: 'x' });
    expect(loadMigrations(dir, 'sql').map((migration) => migration.name)).toEqual(['001_first', '002_second', '010_later']);
  });

  it('refuses two files with the same version', () => {
    const dir = dirWith({ '001_a.sql': 'SELECT 1;', '001_b.sql': 'SELECT 2;' });
    expect(thrown(() => loadMigrations(dir, 'sql')).code).toBe('MIGRATION_DUPLICATE');
  });

  it('refuses a badly named file', () => {
    expect(thrown(() => parseMigration('first.sql', 'SELECT 1;', 'sql')).code).toBe('MIGRATION_NAME');
  });

  it('returns nothing for a store without a migrations directory', () => {
    expect(loadMigrations(join(tmpdir(), 'apex-no-such-dir'), 'cypher')).toEqual([]);
  });

  it('checksums the content, ignoring line-ending style', () => {
    expect(checksumOf('a;\r\nb;')).toBe(checksumOf('a;\nb;'));
    expect(checksumOf('a;')).not.toBe(checksumOf('b;'));
  });
});

describe('planMigrations', () => {
  const one = parseMigration('001_one.sql', 'CREATE TABLE IF NOT EXISTS one (x int);', 'sql');
  const two = parseMigration('002_two.sql', 'CREATE INDEX IF NOT EXISTS one_x ON one (x);', 'sql');
  const applied = (...migrations: (typeof one)[]) => migrations.map(({ version, name, checksum }) => ({ version, name, checksum }));

  it('runs only the migrations not yet applied (the delta)', () => {
    const plan = planMigrations('postgres', [one, two], applied(one));
    expect(plan.pending.map((migration) => migration.name)).toEqual(['002_two']);
    expect(plan.applied.map((migration) => migration.name)).toEqual(['001_one']);
  });

  it('has nothing to do on a second run', () => {
    expect(planMigrations('postgres', [one, two], applied(one, two)).pending).toEqual([]);
  });

  it('refuses an applied file that was edited since', () => {
    const error = thrown(() => planMigrations('postgres', [one], [{ ...applied(one)[0], checksum: 'other' }]));
    expect(error.code).toBe('MIGRATION_CHANGED');
    expect(error.message).toContain('001_one.sql');
  });

  it('refuses a store that applied a migration this apex does not ship', () => {
    const error = thrown(() => planMigrations('neo4j', [one], applied(one, two)));
    expect(error.code).toBe('MIGRATION_UNKNOWN');
    expect(error.fix).toContain('apex reset --service neo4j --hard');
  });
});

describe('declaredObjects', () => {
  it('finds the tables, indexes and constraints of the shipped migrations', () => {
    const postgres = loadMigrations(join(TEMPLATES_DIR, 'migrations', 'postgres'), 'sql');
    const neo4j = loadMigrations(join(TEMPLATES_DIR, 'migrations', 'neo4j'), 'cypher');
    expect(
      declaredObjects(postgres)
        .filter((object) => object.kind === 'table')
        .map((object) => object.name),
    ).toEqual(['documents', 'chunks', 'entities']);
    expect(declaredObjects(postgres).some((object) => object.name === 'documents_run_id_idx')).toBe(true);
    expect(declaredObjects(neo4j)).toEqual(
      expect.arrayContaining([
        { kind: 'constraint', name: 'document_uuid_unique' },
        { kind: 'constraint', name: 'entity_key_unique' },
        { kind: 'index', name: 'document_run_id' },
      ]),
    );
  });

  it('every shipped CREATE is re-runnable, so that a repair can apply the files again', () => {
    for (const [store, dialect] of [
      ['postgres', 'sql'],
      ['neo4j', 'cypher'],
    ] as const) {
      for (const migration of loadMigrations(join(TEMPLATES_DIR, 'migrations', store), dialect)) {
        for (const statement of migration.statements.filter((s) => /^CREATE\b/i.test(s.text))) {
          expect(statement.text, `${migration.file}:${statement.line}`).toMatch(/IF NOT EXISTS/i);
        }
      }
    }
  });
});

describe('migrationFailure', () => {
  it('names the store, the file, the line and the statement', () => {
    const migration = parseMigration('003_bad.sql', 'SELECT 1;\nALTER TABLE nope ADD COLUMN x int;', 'sql');
    const error = migrationFailure('postgres', migration, migration.statements[1], new Error('relation "nope" does not exist'));
    expect(error.message).toBe('postgres migration 003_bad.sql failed at line 2 (ALTER TABLE nope ADD COLUMN x int): relation "nope" does not exist');
    expect(error.details).toEqual(['statement: ALTER TABLE nope ADD COLUMN x int']);
    expect(error.fix).toContain('apex seed --only postgres');
  });
});
