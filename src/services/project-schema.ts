import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ApexError, configError, errorMessage } from '../errors.js';
import { checksumOf, shorten, splitStatements, type Dialect, type Statement } from './migrations.js';
import type { StackContext } from './service.js';

/**
 * The project's own schema files (config key `schema`), applied by `apex seed` once each in the order listed. The
 * store records each applied file with its checksum: an applied file is never run again, and an edited one is
 * refused, as with apex's own migrations.
 */
export type SchemaStore = 'postgres' | 'neo4j';

export interface SchemaFile {
  /** As listed in the config, relative to it: how the file is named in records and messages. */
  file: string;
  checksum: string;
  statements: Statement[];
}

/** A store's record of one applied file. */
export interface AppliedSchemaFile {
  file: string;
  checksum: string;
}

const DIALECTS: Record<SchemaStore, Dialect> = { postgres: 'sql', neo4j: 'cypher' };

export const declaresSchema = (stack: StackContext, store: SchemaStore): boolean => (stack.config.schema[store]?.length ?? 0) > 0;

const readProjectFile = (stack: StackContext, file: string): string => {
  try {
    return readFileSync(resolve(stack.projectDir, file), 'utf8');
  } catch (error) {
    throw configError(
      `Schema file ${file} cannot be read: ${errorMessage(error)}.`,
      `Make ${resolve(stack.projectDir, file)} readable, or fix its path under \`schema\` in the config.`,
    );
  }
};

/** The store's files in the order the config lists them, split into statements. */
export function projectSchemaFiles(stack: StackContext, store: SchemaStore): SchemaFile[] {
  return (stack.config.schema[store] ?? []).map((file) => {
    const text = readProjectFile(stack, file);
    return { file, checksum: checksumOf(text), statements: splitStatements(text, DIALECTS[store]) };
  });
}

/**
 * Which files still have to run. Refuses a store whose record disagrees with the config: an applied file that was
 * edited since, or one the config no longer lists.
 */
export function planSchemaFiles(
  store: SchemaStore,
  files: readonly SchemaFile[],
  recorded: readonly AppliedSchemaFile[],
): { pending: SchemaFile[]; applied: SchemaFile[] } {
  const byName = new Map(files.map((file) => [file.file, file]));
  const startOver = `or start ${store} over empty (on docker: \`apex reset --service ${store} --hard\`)`;
  const unlisted = recorded.filter((row) => !byName.has(row.file));
  if (unlisted.length > 0) {
    const names = unlisted.map((row) => row.file).join(', ');
    throw new ApexError(
      'SCHEMA_FILE_UNLISTED',
      `${store} has applied ${names}, which schema.${store} in the config no longer lists.`,
      `Applied schema files stay: list ${names} under schema.${store} again, in its old place, ${startOver}.`,
    );
  }
  const changed = recorded.filter((row) => byName.get(row.file)?.checksum !== row.checksum);
  if (changed.length > 0) {
    const names = changed.map((row) => row.file).join(', ');
    throw new ApexError(
      'SCHEMA_FILE_CHANGED',
      `${names} changed after ${store} applied ${changed.length > 1 ? 'them' : 'it'} (checksum differs).`,
      `Applied schema files are append-only: undo the edit to ${names} and put the change in a new file listed after ${changed.length > 1 ? 'them' : 'it'} under schema.${store}, ${startOver}.`,
    );
  }
  const done = new Set(recorded.map((row) => row.file));
  return { pending: files.filter((file) => !done.has(file.file)), applied: files.filter((file) => done.has(file.file)) };
}

/** A failed statement as file:line, with the server's own message. */
export function schemaFileFailure(store: SchemaStore, file: SchemaFile, statement: Statement, cause: unknown): ApexError {
  return new ApexError(
    'SCHEMA_FILE_FAILED',
    `${file.file}:${statement.line}: ${store} refused the statement: ${errorMessage(cause)}`,
    `Fix the statement at ${file.file}:${statement.line} and run \`apex seed --only ${store}\` again; the files listed before it are applied${store === 'postgres' ? ', and nothing of this one is' : ''}.`,
    1,
    [`statement: ${shorten(statement.text, 400)}`],
  );
}

const DATA_STATEMENT: Record<SchemaStore, RegExp> = {
  postgres: /^(?:INSERT|UPDATE|DELETE|MERGE)\b/i,
  neo4j: /^(?:CREATE|MERGE|MATCH|UNWIND|WITH|OPTIONAL\s+MATCH)\b(?!\s+(?:OR\s+REPLACE\s+)?(?:\w+\s+)?(?:CONSTRAINT|INDEX)\b)/i,
};

/** The statements of a file that write rows or nodes rather than schema: what a soft reset runs again. */
export const dataStatements = (store: SchemaStore, file: SchemaFile): Statement[] =>
  file.statements.filter((statement) => DATA_STATEMENT[store].test(statement.text));

const collectionsFileSchema = z
  .object({
    collections: z
      .array(
        z
          .object({
            name: z.string().min(1),
            size: z.number().int().positive(),
            distance: z.enum(['Cosine', 'Euclid', 'Dot', 'Manhattan']).default('Cosine'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type ProjectCollection = z.infer<typeof collectionsFileSchema>['collections'][number];

/** The Qdrant collections the project's collections file (`schema.qdrant`) declares; none without one. */
export function projectCollections(stack: StackContext): ProjectCollection[] {
  const file = stack.config.schema.qdrant;
  if (!file) return [];
  let raw: unknown;
  try {
    raw = parseYaml(readProjectFile(stack, file));
  } catch (error) {
    if (error instanceof ApexError) throw error;
    throw configError(`${file}: cannot parse: ${errorMessage(error).split('\n')[0]}`, `Fix the YAML or JSON in ${file}.`);
  }
  const parsed = collectionsFileSchema.safeParse(raw);
  if (parsed.success) return parsed.data.collections;
  const issue = parsed.error.issues[0];
  throw configError(
    `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    `Write ${file} as \`collections: [{name: <collection>, size: <vector size>, distance: Cosine}]\` (distance: Cosine, Euclid, Dot or Manhattan).`,
  );
}

/** The S3 buckets the project declares (`schema.s3.buckets`). */
export const projectBuckets = (stack: StackContext): string[] => stack.config.schema.s3?.buckets ?? [];

/** Reads and checks every file the config names, so that a mistake stops seed or reset before a store is touched. */
export function assertProjectSchemaReadable(stack: StackContext): void {
  projectSchemaFiles(stack, 'postgres');
  projectSchemaFiles(stack, 'neo4j');
  projectCollections(stack);
}
