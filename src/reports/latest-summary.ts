import { usageError } from '../errors.js';
import type { Decision, PhaseSummary } from '../results/run-result.js';
import { latestReport, reportedPhases } from './report-store.js';

export interface ReportSummary {
  phase: string;
  title: string;
  runId: string;
  startedAt: string;
  dir: string;
  decision: Decision;
  recommendation: string;
  summary: PhaseSummary;
  tests: { name: string; status: string; reason?: string }[];
  issues: string[];
}

/** `apex report --json`. */
export interface ReportOutput {
  apiVersion: 1;
  reports: ReportSummary[];
  /** reports/index.html (every run of every phase, with trends), with --html. */
  index?: string;
}

/** `apex report [phase]`: the latest run of one phase, or of every phase that has reports. */
export function latestSummaries(reportsRoot: string, phase?: string): ReportOutput {
  const phases = phase ? [phase.toLowerCase()] : reportedPhases(reportsRoot);
  const summaries = phases.flatMap((id) => {
    const latest = latestReport(reportsRoot, id);
    if (!latest) return [];
    const { result, dir } = latest;
    return [{
      phase: id,
      title: result.title,
      runId: result.runId,
      startedAt: result.startedAt,
      dir,
      decision: result.decision,
      recommendation: result.recommendation,
      summary: result.summary,
      tests: result.tests.map((test) => ({ name: test.name, status: test.status, reason: test.reason })),
      issues: result.diagnoses.map((diagnosis) => diagnosis.title),
    }];
  });
  if (summaries.length === 0) {
    throw usageError(`No reports${phase ? ` for phase ${phase}` : ''} in ${reportsRoot}.`, `Run \`apex test phase ${phase ?? '2c'}\` first.`);
  }
  return { apiVersion: 1, reports: summaries };
}
