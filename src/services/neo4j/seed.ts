import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { declaredObjects, loadMigrations, migrationFailure, planMigrations, type AppliedMigration, type Migration } from '../migrations.js';
import type { SeedReport, StoreContext } from '../operations.js';
import { declaresSchema, projectSchemaFiles } from '../project-schema.js';
import { withNeo4j } from './probe.js';
import { seedProjectNeo4j } from './project-schema.js';

/** Applied migrations are recorded in the graph itself; a soft reset keeps these nodes. */
export const MIGRATION_LABEL = 'ApexMigration';

export const neo4jMigrations = (ctx: StoreContext): Migration[] => loadMigrations(join(ctx.stack.templatesDir, 'migrations', 'neo4j'), 'cypher');

/**
 * apex's own migrations, unless the project declares its own files (Neo4j community has one graph, so those own
 * it); then the project's files.
 */
export const seedNeo4j = (ctx: StoreContext): Promise<SeedReport> =>
  withNeo4j(ctx, async (driver) => {
    if (!declaresSchema(ctx.stack, 'neo4j')) return applyOwnMigrations(ctx, driver);
    const project = await seedProjectNeo4j(driver, projectSchemaFiles(ctx.stack, 'neo4j'));
    return { ...project, unchanged: ["apex's own migrations left out: schema.neo4j declares the graph's schema", ...project.unchanged] };
  });

/**
 * Applies pending migrations and recreates constraints or indexes dropped by hand. Neo4j runs schema statements one
 * by one (not in a transaction with data), so every statement is IF NOT EXISTS and a failed file can simply run again.
 */
async function applyOwnMigrations(ctx: StoreContext, driver: Driver): Promise<SeedReport> {
  const recorded = await driver.executeQuery(
    `MATCH (m:${MIGRATION_LABEL}) RETURN m.version AS version, m.name AS name, m.checksum AS checksum ORDER BY version`,
  );
  const plan = planMigrations(
    'neo4j',
    neo4jMigrations(ctx),
    recorded.records.map((record) => record.toObject() as AppliedMigration),
  );
  const report: SeedReport = { applied: [], unchanged: [] };
  const missing = await missingSchema(driver, plan.applied);
  if (missing.length > 0) {
    for (const migration of plan.applied) await runStatements(driver, migration);
    report.applied.push(`repaired ${missing.join(', ')} (re-applied ${plan.applied.map((m) => m.file).join(', ')})`);
  } else {
    report.unchanged.push(...plan.applied.map((migration) => `migration ${migration.name}`));
  }
  for (const migration of plan.pending) {
    await runStatements(driver, migration);
    await driver.executeQuery(`MERGE (m:${MIGRATION_LABEL} {version: $version}) SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()`, {
      version: migration.version,
      name: migration.name,
      checksum: migration.checksum,
    });
    report.applied.push(`migration ${migration.name}`);
  }
  return report;
}

/** Names of every constraint and index the database has. */
export async function neo4jSchemaNames(driver: Driver): Promise<string[]> {
  const constraints = await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN name');
  const indexes = await driver.executeQuery('SHOW INDEXES YIELD name RETURN name');
  return [...constraints.records, ...indexes.records].map((record) => record.get('name') as string);
}

async function missingSchema(driver: Driver, applied: readonly Migration[]): Promise<string[]> {
  const present = new Set(await neo4jSchemaNames(driver));
  return declaredObjects(applied)
    .map((object) => object.name)
    .filter((name) => !present.has(name));
}

async function runStatements(driver: Driver, migration: Migration): Promise<void> {
  for (const statement of migration.statements) {
    try {
      await driver.executeQuery(statement.text);
    } catch (error) {
      throw migrationFailure('neo4j', migration, statement, error);
    }
  }
}
