import { Args, Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import type { ReportOutput } from '../reports/latest-summary.js';
import { runReport } from '../stack/report.js';
import { renderReportSummaries } from '../ui/report-summaries.js';

export default class Report extends ApexCommand<ReportOutput> {
  static override summary = 'Print the summary of the latest report of a phase (or of every phase).';
  static override examples = ['<%= config.bin %> report', '<%= config.bin %> report 2d', '<%= config.bin %> report 2c --json'];

  static override args = { phase: Args.string({ description: 'Phase id (2c, 2d); every phase with reports when omitted.' }) };
  static override flags = { 'reports-dir': Flags.string({ description: 'Where reports are (default: ./reports).' }) };

  async run(): Promise<ReportOutput> {
    const { args, flags } = await this.parse(Report);
    const output = runReport({ configFile: flags.config }, { phase: args.phase, reportsDir: flags['reports-dir'] });
    if (!this.jsonEnabled()) for (const line of renderReportSummaries(output.reports)) this.log(line);
    return output;
  }
}
