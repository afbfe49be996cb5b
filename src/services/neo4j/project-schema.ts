import type { Driver } from 'neo4j-driver';
import type { SeedReport } from '../operations.js';
import { dataStatements, planSchemaFiles, schemaFileFailure, type AppliedSchemaFile, type SchemaFile } from '../project-schema.js';

/** The project's applied files are recorded in the graph as (:ApexSchemaFile {file, checksum, appliedAt}); a soft reset keeps them. */
export const PROJECT_SCHEMA_LABEL = 'ApexSchemaFile';

async function appliedFiles(driver: Driver): Promise<AppliedSchemaFile[]> {
  const { records } = await driver.executeQuery(`MATCH (f:${PROJECT_SCHEMA_LABEL}) RETURN f.file AS file, f.checksum AS checksum ORDER BY f.appliedAt, f.file`);
  return records.map((record) => record.toObject() as AppliedSchemaFile);
}

/**
 * Applies the project's pending files, statement by statement (Neo4j runs schema statements outside a data
 * transaction), and records each file once all of its statements ran.
 */
export async function seedProjectNeo4j(driver: Driver, files: readonly SchemaFile[]): Promise<SeedReport> {
  const report: SeedReport = { applied: [], unchanged: [] };
  if (files.length === 0) return report;
  const plan = planSchemaFiles('neo4j', files, await appliedFiles(driver));
  report.unchanged.push(...plan.applied.map((file) => `schema file ${file.file}`));
  for (const file of plan.pending) {
    await runStatements(driver, file, file.statements);
    await driver.executeQuery(`MERGE (f:${PROJECT_SCHEMA_LABEL} {file: $file}) SET f.checksum = $checksum, f.appliedAt = datetime()`, {
      file: file.file,
      checksum: file.checksum,
    });
    report.applied.push(`schema file ${file.file}`);
  }
  return report;
}

/** After the graph was emptied: the nodes and relationships the applied files create, created again. */
export async function recreateProjectData(driver: Driver, files: readonly SchemaFile[]): Promise<string[]> {
  const applied = new Set((await appliedFiles(driver)).map((row) => row.file));
  const rerun: string[] = [];
  for (const file of files.filter((candidate) => applied.has(candidate.file))) {
    const statements = dataStatements('neo4j', file);
    if (statements.length === 0) continue;
    await runStatements(driver, file, statements);
    rerun.push(`${file.file}: ran its ${statements.length} data statement${statements.length > 1 ? 's' : ''} again`);
  }
  return rerun;
}

async function runStatements(driver: Driver, file: SchemaFile, statements: SchemaFile['statements']): Promise<void> {
  for (const statement of statements) {
    try {
      await driver.executeQuery(statement.text);
    } catch (error) {
      throw schemaFileFailure('neo4j', file, statement, error);
    }
  }
}
