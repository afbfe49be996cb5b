import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { loadConfig } from '../config/load-config.js';
import { latestSummaries, type ReportSummary } from '../reports/latest-summary.js';

export default class Report extends ApexCommand<{ reports: ReportSummary[] }> {
  static override summary = 'Print the summary of the latest report of a phase (or of every phase).';
  static override examples = ['<%= config.bin %> report', '<%= config.bin %> report 2d', '<%= config.bin %> report 2c --json'];

  static override args = { phase: Args.string({ description: 'Phase id (2c, 2d); every phase with reports when omitted.' }) };
  static override flags = { 'reports-dir': Flags.string({ description: 'Where reports are (default: ./reports).' }) };

  async run(): Promise<{ reports: ReportSummary[] }> {
    const { args, flags } = await this.parse(Report);
    const reportsRoot = flags['reports-dir'] ?? join(loadConfig({ configFile: flags.config }).projectDir, 'reports');
    const reports = latestSummaries(reportsRoot, args.phase);
    if (!this.jsonEnabled()) {
      for (const report of reports) {
        const s = report.summary;
        this.log(`${report.decision === 'proceed' ? '✅' : '❌'} ${report.title} (${report.startedAt}, run ${report.runId})`);
        this.log(`   tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
        for (const test of report.tests) this.log(`     ${test.status.padEnd(7)} ${test.name}${test.reason ? `: ${test.reason}` : ''}`);
        this.log(`   workflows: ${s.workflowsSucceeded}/${s.workflowsExecuted}; ${s.throughputWorkflowsPerSecond.toFixed(2)} wf/s; ${s.stateTransitionsPerSecond.toFixed(1)} transitions/s; P50/P95/P99 ${[s.endToEndMs?.p50, s.endToEndMs?.p95, s.endToEndMs?.p99].map((v) => (v === undefined ? 'n/a' : `${Math.round(v)} ms`)).join(' / ')}`);
        for (const issue of report.issues) this.log(`   issue: ${issue}`);
        this.log(`   ${report.recommendation}`);
        this.log(`   ${report.dir}/INDEX.md`);
      }
    }
    return { reports };
  }
}
