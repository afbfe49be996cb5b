import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestSummaries } from '../../../src/reports/latest-summary.js';
import { writeReport } from '../../../src/reports/report-store.js';
import { RESULTS_JSON_SCHEMA_PATH, resultsJsonSchemaText } from '../../../src/results/results-json-schema.js';
import { parseRunResult } from '../../../src/results/run-result.js';
import { currentRun, previousRun } from '../../fixtures/reports/sample-results.js';
import { thrown } from '../../support/thrown.js';

describe('results.json', () => {
  it('the published JSON Schema is the one derived from the zod schema (`npm run build` writes it)', () => {
    expect(readFileSync(new URL(`../../../${RESULTS_JSON_SCHEMA_PATH}`, import.meta.url), 'utf8')).toBe(resultsJsonSchemaText());
  });

  it('reads back what a run wrote', () => {
    const file = join(writeReport(currentRun, mkdtempSync(join(tmpdir(), 'apex-results-')), []).dir, 'results.json');
    expect(parseRunResult(readFileSync(file, 'utf8'), file)).toEqual(JSON.parse(JSON.stringify(currentRun)));
  });

  it('a file that is not JSON: RESULTS_INVALID, rerun the phase', () => {
    const error = thrown(() => parseRunResult('{"schemaVersion": 1, "phase": "2c", ', 'reports/2c/x/results.json'));
    expect(error.code).toBe('RESULTS_INVALID');
    expect(error.message).toMatch(/^reports\/2c\/x\/results\.json is not valid JSON \(/);
    expect(error.fix).toBe('Run the phase again (`apex test phase <phase>`) to write a new report.');
  });

  it('a file another schema version wrote: RESULTS_VERSION, naming both versions and the phase to rerun', () => {
    const error = thrown(() => parseRunResult(JSON.stringify({ ...currentRun, schemaVersion: 0 }), 'results.json'));
    expect(error).toMatchObject({ code: 'RESULTS_VERSION', message: 'results.json has schemaVersion 0; this apex reads version 1.', exitCode: 1 });
    expect(error.fix).toBe('Run the phase again (`apex test phase 2c`) to write a new report.');
    expect(thrown(() => parseRunResult('[]', 'results.json')).message).toBe('results.json has schemaVersion (none); this apex reads version 1.');
  });

  it('a file that does not match the schema: RESULTS_INVALID with the paths that are wrong', () => {
    const broken = { ...currentRun, summary: { ...currentRun.summary, passed: 'two' }, tests: currentRun.tests.map(({ metrics: _metrics, ...test }) => test) };
    const error = thrown(() => parseRunResult(JSON.stringify(broken), 'results.json'));
    expect(error.code).toBe('RESULTS_INVALID');
    expect(error.details).toEqual(expect.arrayContaining(['summary.passed: Expected number, received string', 'tests.0.metrics: Required']));
  });

  it('apex report answers a corrupt latest report with the error, and a new run still writes its report beside it', () => {
    const reports = mkdtempSync(join(tmpdir(), 'apex-results-'));
    const { dir } = writeReport(previousRun, reports, []);
    writeFileSync(join(dir, 'results.json'), '{ truncated');
    expect(thrown(() => latestSummaries(reports, '2c')).code).toBe('RESULTS_INVALID');
    const written = writeReport(currentRun, reports, []);
    expect(written.previousRunId).toBeUndefined();
    expect(latestSummaries(reports, '2c').reports[0].runId).toBe(currentRun.runId);
  });
});
