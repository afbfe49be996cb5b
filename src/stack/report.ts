import { join } from 'node:path';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { latestSummaries, type ReportOutput } from '../reports/latest-summary.js';
import { writeRunIndex } from '../reports/report-store.js';

/**
 * `apex report [phase]`: the latest report of one phase, or of every phase, from reports/ of the project (or
 * reportsDir); with `html`, reports/index.html is written afresh and its path returned too.
 */
export function runReport(loadOptions: LoadOptions, options: { phase?: string; reportsDir?: string; html?: boolean }): ReportOutput {
  const reportsRoot = options.reportsDir ?? join(loadConfig(loadOptions).projectDir, 'reports');
  const output = latestSummaries(reportsRoot, options.phase);
  return options.html ? { ...output, index: writeRunIndex(reportsRoot) } : output;
}
