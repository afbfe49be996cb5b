import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { redactSecrets } from '../ui/mask.js';
import { parseRunResult, type PhaseRunResult } from '../results/run-result.js';
import { ApexError } from '../errors.js';
import { renderFixes } from './render-fixes.js';
import { renderHtml } from './render-html.js';
import { renderIndex } from './render-index.js';
import { renderIssues } from './render-issues.js';
import { renderJunit } from './render-junit.js';
import { renderRunIndex, type IndexedRun } from './render-run-index.js';

export interface WrittenReport {
  dir: string;
  files: string[];
  /** The run FIXES.md compared with. */
  previousRunId?: string;
  /** reports/index.html, rewritten after every run. */
  index: string;
}

/** reports/<phase>/<timestamp>/: sortable, one directory per run. */
export const reportDirName = (startedAt: string): string => startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

function runDirs(reportsRoot: string, phase: string): string[] {
  const dir = join(reportsRoot, phase);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'results.json')))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** The newest report of a phase (optionally older than a given directory). */
export function latestReport(reportsRoot: string, phase: string, before?: string): { dir: string; result: PhaseRunResult } | undefined {
  const dirs = runDirs(reportsRoot, phase).filter((dir) => before === undefined || dir < before);
  const dir = dirs.at(-1);
  if (!dir) return undefined;
  const file = join(dir, 'results.json');
  return { dir, result: parseRunResult(readFileSync(file, 'utf8'), file, phase) };
}

/** The run FIXES.md compares with; a previous results.json that cannot be read leaves nothing to compare. */
function previousReport(reportsRoot: string, phase: string, dir: string): ReturnType<typeof latestReport> {
  try {
    return latestReport(reportsRoot, phase, dir);
  } catch (error) {
    if (error instanceof ApexError) return undefined;
    throw error;
  }
}

/** Phases that have at least one report. */
export const reportedPhases = (reportsRoot: string): string[] =>
  existsSync(reportsRoot)
    ? readdirSync(reportsRoot, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && runDirs(reportsRoot, entry.name).length > 0)
        .map((entry) => entry.name)
        .sort()
    : [];

/** Writes every report of a run from its one result; every file is redacted of the stack's secrets. */
export function writeReport(result: PhaseRunResult, reportsRoot: string, secrets: readonly string[]): WrittenReport {
  const dir = join(reportsRoot, result.phase, reportDirName(result.startedAt));
  const previous = previousReport(reportsRoot, result.phase, dir);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'INDEX.md': renderIndex(result),
    'ISSUES.md': renderIssues(result),
    'FIXES.md': renderFixes(result, previous?.result),
    'results.json': `${JSON.stringify(result, null, 2)}\n`,
    'junit.xml': renderJunit(result),
    'report.html': renderHtml(result),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), redactSecrets(content, secrets));
  return { dir, files: Object.keys(files), previousRunId: previous?.result.runId, index: writeRunIndex(reportsRoot) };
}

/** Every run of every phase, oldest first; a results.json that cannot be read is listed with why, never fatal. */
export function indexedRuns(reportsRoot: string): IndexedRun[] {
  return reportedPhases(reportsRoot).flatMap((phase) =>
    runDirs(reportsRoot, phase).map((dir): IndexedRun => {
      const href = relative(reportsRoot, dir);
      const file = join(dir, 'results.json');
      try {
        return { phase, href, result: parseRunResult(readFileSync(file, 'utf8'), file, phase) };
      } catch (error) {
        if (!(error instanceof ApexError)) throw error;
        return { phase, href, unreadable: { code: error.code, message: error.message } };
      }
    }),
  );
}

/** Writes reports/index.html (whole, then renamed into place) and returns its path. */
export function writeRunIndex(reportsRoot: string): string {
  const file = join(reportsRoot, 'index.html');
  mkdirSync(reportsRoot, { recursive: true });
  writeFileSync(`${file}.tmp`, renderRunIndex(indexedRuns(reportsRoot)));
  renameSync(`${file}.tmp`, file);
  return file;
}
