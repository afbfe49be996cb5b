import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgreSplitterOptions, splitQuery, type SplitterOptions } from 'dbgate-query-splitter';
import { ApexError } from '../errors.js';

/**
 * Versioned migrations kept in templates/migrations/<store>/NNN_name.<ext>. Files are append-only: a change to an
 * applied file is refused (its checksum is recorded), and every statement is written to be re-runnable
 * (IF NOT EXISTS), so that a schema damaged by hand is repaired by applying the files again.
 */
export type Dialect = 'sql' | 'cypher';

export interface Statement {
  text: string;
  /** 1-based line in the file where the statement starts. */
  line: number;
}

export interface Migration {
  version: number;
  name: string;
  file: string;
  checksum: string;
  statements: Statement[];
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

export interface MigrationPlan {
  pending: Migration[];
  applied: Migration[];
}

export interface DeclaredObject {
  kind: 'table' | 'index' | 'constraint';
  name: string;
}

const EXTENSIONS: Record<Dialect, string> = { sql: '.sql', cypher: '.cypher' };
const FILE_NAME = /^(\d+)_([a-z0-9][a-z0-9_-]*)\.(sql|cypher)$/;

const cypherSplitterOptions: SplitterOptions = {
  ...postgreSplitterOptions,
  stringsBegins: ["'", '"', '`'],
  stringsEnds: { "'": "'", '"': '"', '`': '`' },
  stringEscapes: { "'": '\\', '"': '\\', '`': '`' },
  allowDollarDollarString: false,
  // `--` is a relationship in Cypher, not a comment; `//` comments are blanked out before splitting.
  doubleDashComments: false,
};

/** Replaces Cypher `//` line comments (outside strings) with spaces, keeping every position in place. */
export function blankLineComments(text: string): string {
  const out = text.split('');
  let quote: string | undefined;
  for (let i = 0; i < out.length; i++) {
    const ch = out[i];
    if (quote) {
      if (ch === '\\' && quote !== '`') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if (ch === '/' && out[i + 1] === '/') {
      while (i < out.length && out[i] !== '\n') out[i++] = ' ';
    }
  }
  return out.join('');
}

export const checksumOf = (text: string): string => createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');

/** splitQuery's item when asked for positions (returnRichInfo). */
type RichItem = Extract<ReturnType<typeof splitQuery>[number], { text: string }>;

const LEADING_COMMENTS = /^(?:\s+|--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/;

export function splitStatements(text: string, dialect: Dialect): Statement[] {
  const [options, source] = dialect === 'sql' ? [postgreSplitterOptions, text] : [cypherSplitterOptions, blankLineComments(text)];
  return (splitQuery(source, { ...options, returnRichInfo: true }) as RichItem[]).flatMap((item) => {
    const prefix = LEADING_COMMENTS.exec(item.text)?.[0] ?? '';
    const body = item.text.slice(prefix.length).trim();
    if (!body) return [];
    const startLine = (item.trimStart ?? item.start).line;
    return [{ text: body, line: startLine + 1 + (prefix.match(/\n/g)?.length ?? 0) }];
  });
}

export function parseMigration(file: string, text: string, dialect: Dialect): Migration {
  const match = FILE_NAME.exec(file);
  if (!match || `.${match[3]}` !== EXTENSIONS[dialect]) {
    throw new ApexError(
      'MIGRATION_NAME',
      `Migration file ${file} is not named NNN_name${EXTENSIONS[dialect]}.`,
      `Rename it, e.g. 002_add_summary${EXTENSIONS[dialect]} (lower-case letters, digits, "_" and "-").`,
      2,
    );
  }
  return {
    version: Number(match[1]),
    name: `${match[1]}_${match[2]}`,
    file,
    checksum: checksumOf(text),
    statements: splitStatements(text, dialect),
  };
}

/** The migrations in a directory, in version order. */
export function loadMigrations(dir: string, dialect: Dialect): Migration[] {
  if (!existsSync(dir)) return [];
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith(EXTENSIONS[dialect]))
    .map((file) => parseMigration(file, readFileSync(join(dir, file), 'utf8'), dialect))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous?.version === migration.version) {
      throw new ApexError(
        'MIGRATION_DUPLICATE',
        `Migrations ${previous.file} and ${migration.file} in ${dir} share version ${migration.version}.`,
        'Give the newer file the next free version number.',
        2,
      );
    }
  });
  return migrations;
}

/**
 * Which migrations still have to run. Refuses a store whose record disagrees with the files: an applied file that
 * was edited since, or a version no file has (applied by a newer apex).
 */
export function planMigrations(store: string, migrations: readonly Migration[], recorded: readonly AppliedMigration[]): MigrationPlan {
  const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
  const unknown = recorded.filter((row) => !byVersion.has(row.version));
  if (unknown.length > 0) {
    throw new ApexError(
      'MIGRATION_UNKNOWN',
      `${store} has applied migration${unknown.length > 1 ? 's' : ''} ${unknown.map((row) => row.name).join(', ')} that this apex does not ship.`,
      `Use the apex version that applied ${unknown.length > 1 ? 'them' : 'it'}, or start ${store} over with \`apex reset --service ${store} --hard\`.`,
    );
  }
  const changed = recorded.filter((row) => byVersion.get(row.version)?.checksum !== row.checksum);
  if (changed.length > 0) {
    const files = changed.map((row) => byVersion.get(row.version)?.file).join(', ');
    throw new ApexError(
      'MIGRATION_CHANGED',
      `${files} changed after ${store} applied ${changed.length > 1 ? 'them' : 'it'} (checksum differs).`,
      `Migrations are append-only: restore ${files} and put the change in a new file with the next version, or start ${store} over with \`apex reset --service ${store} --hard\`.`,
    );
  }
  const done = new Set(recorded.map((row) => row.version));
  return {
    pending: migrations.filter((migration) => !done.has(migration.version)),
    applied: migrations.filter((migration) => done.has(migration.version)),
  };
}

const DECLARATIONS: readonly [DeclaredObject['kind'], RegExp][] = [
  ['table', /^CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+([\w."]+)/i],
  ['index', /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?IF\s+NOT\s+EXISTS\s+([\w."]+)/i],
  ['index', /^CREATE\s+(?:RANGE\s+|TEXT\s+|POINT\s+|LOOKUP\s+|FULLTEXT\s+|VECTOR\s+)?INDEX\s+([\w`]+)\s+IF\s+NOT\s+EXISTS/i],
  ['constraint', /^CREATE\s+CONSTRAINT\s+([\w`]+)\s+IF\s+NOT\s+EXISTS/i],
];

/** The named tables, indexes and constraints the migrations create: what a repair check looks for. */
export function declaredObjects(migrations: readonly Migration[]): DeclaredObject[] {
  return migrations.flatMap((migration) =>
    migration.statements.flatMap((statement) => {
      for (const [kind, pattern] of DECLARATIONS) {
        const name = pattern.exec(statement.text)?.[1];
        if (name) return [{ kind, name: name.replace(/[`"]/g, '') }];
      }
      return [];
    }),
  );
}

/** A statement on one line, cut to `max` characters. */
export const shorten = (statement: string, max = 80): string => {
  const flat = statement.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
};

/** A failed statement, named by file, line and text; the store's own message says why. */
export function migrationFailure(store: string, migration: Migration, statement: Statement, cause: unknown): ApexError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApexError(
    'MIGRATION_FAILED',
    `${store} migration ${migration.file} failed at line ${statement.line} (${shorten(statement.text)}): ${reason}`,
    `Fix the statement in templates/migrations/${store}/${migration.file} (line ${statement.line}) and run \`apex seed --only ${store}\` again; the migrations before it are in place.`,
    1,
    [`statement: ${shorten(statement.text, 400)}`],
  );
}
