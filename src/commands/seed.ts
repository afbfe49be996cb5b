import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { runtimeFlag } from '../cli/runtime-flag.js';
import { storeOutput, type StoreOutput } from '../cli/store-output.js';
import type { SeedResult } from '../services/seeding.js';
import { runSeed } from '../stack/seed.js';
import { renderSeedResults } from '../ui/store-results.js';

export type SeedOutput = StoreOutput<SeedResult>;

export default class Seed extends ApexCommand<SeedOutput> {
  static override summary = 'Apply the migrations and seed data to every store (idempotent).';
  static override description = `PostgreSQL tables (versioned migrations in schema_migrations), Neo4j constraints and indexes (recorded as :ApexMigration nodes), the Qdrant collection with its payload indexes, the S3 buckets with sample documents, the Temporal namespace with its search attributes, and a Redis schema marker; then your project's own files that schema: in apex.config.yaml lists (SQL and Cypher files applied once each in the listed order and recorded with their checksums in apex_schema_files and :ApexSchemaFile nodes, a Qdrant collections file, S3 buckets). A second run changes nothing; a newer migration or a newly listed file applies only the delta; an applied file that changed is refused; a failing statement is reported as file:line; a table or constraint dropped by hand is recreated.`;

  static override examples = [
    { description: 'Seed every store of the stack', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Seed only PostgreSQL and Neo4j', command: '<%= config.bin %> <%= command.id %> --only postgres,neo4j' },
    { description: 'Seed servers apex did not start, as JSON', command: '<%= config.bin %> <%= command.id %> --runtime external --json' },
  ];

  static override flags = {
    only: Flags.string({ description: 'Comma-separated stores to seed (default: every store of the stack).', delimiter: ',', multiple: true }),
    runtime: runtimeFlag,
  };

  async run(): Promise<SeedOutput> {
    const { flags } = await this.parse(Seed);
    const results = await runSeed({ configFile: flags.config, runtime: flags.runtime }, flags.only);
    return storeOutput(results, {
      json: this.jsonEnabled(),
      log: (text) => this.log(text),
      render: (rows) => renderSeedResults(rows, Boolean(process.stdout.isTTY)),
      code: 'SEED_FAILED',
      what: 'Seeding',
    });
  }
}
