import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ApexCommand } from '../../cli/apex-command.js';
import { loadStack } from '../../config/stack-context.js';
import { ApexError } from '../../errors.js';
import { describeStoreCounts } from '../../reports/run-data.js';
import { cleanRuns, listRunsWithLeftovers, type CleanResult, type RunList } from '../../phases/clean-runs.js';

export default class TestClean extends ApexCommand<RunList | CleanResult> {
  static override summary = "Remove a test run's leftover rows, nodes, points, keys and objects, exactly as its ledger recorded them.";
  static override description =
    'Every run of `apex test phase` writes reports/<phase>/<run>/ledger.jsonl as it goes: what it delivered and what its worker wrote. ' +
    "A run normally removes its data when it ends; one that was cut short, kept with --keep-data, or met a store that was down leaves it. This command runs the contract's cleanup statements for exactly that run, " +
    'then counts what is left per store. Data of other runs is never touched. Exits 1 naming the store when one does not answer (the ledger is kept).';
  static override examples = [
    '<%= config.bin %> test clean --list',
    '<%= config.bin %> test clean 2d-20261202t161500z-ab12',
    '<%= config.bin %> test clean --all',
    '<%= config.bin %> test clean --all --reports-dir ci-reports --json',
  ];

  static override args = { run: Args.string({ description: 'The run id to clean (as in INDEX.md and `apex test clean --list`).' }) };

  static override flags = {
    list: Flags.boolean({ description: 'List the runs that left data behind, and remove nothing.', exclusive: ['all'] }),
    all: Flags.boolean({ description: 'Clean every run that left data behind.', exclusive: ['list'] }),
    'reports-dir': Flags.string({ description: 'Where the reports and their ledgers are (default: ./reports).' }),
  };

  async run(): Promise<RunList | CleanResult> {
    const { args, flags } = await this.parse(TestClean);
    if (!flags.list && !flags.all && args.run === undefined)
      throw new ApexError('USAGE', 'Name a run to clean, or pass --all or --list.', 'Run `apex test clean --list` to see the runs that left data behind.', 2);
    if ((flags.list || flags.all) && args.run !== undefined)
      throw new ApexError(
        'USAGE',
        `Pass either a run (${args.run}) or ${flags.list ? '--list' : '--all'}, not both.`,
        'Run `apex test clean RUN` for one run, or `apex test clean --all` for every run that left data.',
        2,
      );
    const reportsRoot = flags['reports-dir'] ?? join(process.cwd(), 'reports');
    if (flags.list) {
      const list = listRunsWithLeftovers(reportsRoot);
      if (!this.jsonEnabled()) {
        if (list.runs.length === 0) this.log('No run left data behind.');
        for (const run of list.runs)
          this.log(
            `${run.runId}  ${run.reason === 'kept' ? 'kept (--keep-data)' : `left (${run.ended ?? 'cut short'})`}  ${run.workloads} workload(s), ${run.documents} document(s)  ${run.reportDir}`,
          );
      }
      return list;
    }
    const result = await cleanRuns({ loaded: loadStack({ configFile: flags.config }), reportsRoot, runId: args.run, all: flags.all });
    if (!this.jsonEnabled()) {
      if (result.runs.length === 0) this.log(args.run === undefined ? 'No run left data behind.' : `Run ${args.run} left nothing behind.`);
      for (const run of result.runs)
        this.log(
          `${run.runId}: removed ${describeStoreCounts(run.beforeCleanup)}; left after cleanup: ${describeStoreCounts(run.leftAfterCleanup)}${run.documentsWithoutUuid > 0 ? `; ${run.documentsWithoutUuid} document(s) never returned their uuid: what the worker keyed on it cannot be found` : ''}`,
        );
    }
    return result;
  }
}
