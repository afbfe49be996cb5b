import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { runtimeFlag } from '../cli/runtime-flag.js';
import { storeOutput, type StoreOutput } from '../cli/store-output.js';
import { runReset, type ResetResult } from '../stack/reset.js';
import { terminalConfirm } from '../ui/ask.js';
import { createProgress } from '../ui/progress.js';
import { renderResetResults } from '../ui/store-results.js';

export type ResetOutput = StoreOutput<ResetResult>;

export default class Reset extends ApexCommand<ResetOutput> {
  static override summary = 'Bring every store back to the freshly seeded state.';
  static override description = `Soft by default, in seconds and without restarting anything: truncates the tables (keeping schema_migrations), detach-deletes the graph (keeping :ApexMigration), recreates the Qdrant collection, deletes the Redis key prefix, empties the buckets and terminates the namespace's open workflows; with your project's files (schema: in apex.config.yaml), empties every table of their database and their collections and buckets, keeping apex_schema_files and :ApexSchemaFile, and runs their INSERT/CREATE/MERGE statements again; then seeds again.

--hard recreates the containers and their volumes, then seeds. Asks for confirmation unless --yes. On the external runtime it refuses a server that is not on this machine unless --force.`;

  static override examples = [
    { description: 'Reset every store, asking first', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Reset only Redis, without asking', command: '<%= config.bin %> <%= command.id %> --service redis --yes' },
    { description: 'Start PostgreSQL over from an empty volume', command: '<%= config.bin %> <%= command.id %> --service postgres --hard --yes' },
    { description: 'Reset a shared external stack on purpose', command: '<%= config.bin %> <%= command.id %> --runtime external --force --yes' },
  ];

  static override flags = {
    service: Flags.string({ char: 's', description: 'A store to reset (repeatable; default: every store).', multiple: true, delimiter: ',' }),
    hard: Flags.boolean({ description: 'Recreate the containers and volumes (docker runtime), then seed.' }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }),
    force: Flags.boolean({ description: 'External runtime: also reset servers that are not on this machine.' }),
    runtime: runtimeFlag,
  };

  async run(): Promise<ResetOutput> {
    const { flags } = await this.parse(Reset);
    const results = await runReset({ configFile: flags.config, runtime: flags.runtime }, flags.service, {
      hard: flags.hard,
      force: flags.force,
      yes: flags.yes,
      confirm: terminalConfirm(),
      progress: createProgress({ quiet: this.jsonEnabled() }),
    });
    return storeOutput(results, {
      json: this.jsonEnabled(),
      log: (text) => this.log(text),
      render: (rows) => renderResetResults(rows, Boolean(process.stdout.isTTY)),
      code: 'RESET_FAILED',
      what: 'Reset',
    });
  }
}
