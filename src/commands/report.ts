import { Args, Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import type { ReportOutput } from '../reports/latest-summary.js';
import { runReport } from '../stack/report.js';
import { renderReportSummaries } from '../ui/report-summaries.js';

export default class Report extends ApexCommand<ReportOutput> {
  static override summary = 'Print the summary of the latest report of a phase (or of every phase).';
  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report 2d',
    '<%= config.bin %> report 2c --json',
    '<%= config.bin %> report --html',
  ];

  static override args = { phase: Args.string({ description: 'Phase id (2c, 2d); every phase with reports when omitted.' }) };
  static override flags = {
    'reports-dir': Flags.string({ description: 'Where reports are (default: ./reports).' }),
    html: Flags.boolean({ description: 'Also write reports/index.html (every run of every phase, with trends) and print its path.' }),
  };

  async run(): Promise<ReportOutput> {
    const { args, flags } = await this.parse(Report);
    const output = runReport({ configFile: flags.config }, { phase: args.phase, reportsDir: flags['reports-dir'], html: flags.html });
    if (!this.jsonEnabled()) {
      for (const line of renderReportSummaries(output.reports)) this.log(line);
      if (output.index) this.log(`every run: ${output.index}`);
    }
    return output;
  }
}
