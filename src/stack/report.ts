import { join } from 'node:path';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { latestSummaries, type ReportOutput } from '../reports/latest-summary.js';

/** `apex report [phase]`: the latest report of one phase, or of every phase, from reports/ of the project (or reportsDir). */
export function runReport(loadOptions: LoadOptions, options: { phase?: string; reportsDir?: string }): ReportOutput {
  const reportsRoot = options.reportsDir ?? join(loadConfig(loadOptions).projectDir, 'reports');
  return latestSummaries(reportsRoot, options.phase);
}
