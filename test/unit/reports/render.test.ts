import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFixes } from '../../../src/reports/render-fixes.js';
import { renderHtml } from '../../../src/reports/render-html.js';
import { renderIndex } from '../../../src/reports/render-index.js';
import { renderIssues } from '../../../src/reports/render-issues.js';
import { renderJunit } from '../../../src/reports/render-junit.js';
import { interruptionDiagnosis } from '../../../src/phases/diagnosis/diagnosis.js';
import { currentRun, previousRun } from '../../fixtures/reports/sample-results.js';

const UPDATE_COMMAND = 'UPDATE_GOLDEN=1 npx vitest run test/unit/reports/render.test.ts';

/** Golden files: only UPDATE_GOLDEN=1 writes them (review the diff before committing); a missing one fails. */
function expectGolden(name: string, actual: string): void {
  const url = new URL(`../../fixtures/reports/golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, actual);
  if (!existsSync(url)) expect.fail(`Golden file test/fixtures/reports/golden/${name} is missing. Write it with \`${UPDATE_COMMAND}\`, review it, and commit it.`);
  expect(actual).toBe(readFileSync(url, 'utf8'));
}

describe('report rendering (golden files)', () => {
  it('INDEX.md of a failed run', () => expectGolden('INDEX.md', renderIndex(currentRun)));
  it('INDEX.md of a passed run', () => expectGolden('INDEX-passed.md', renderIndex(previousRun)));
  it('ISSUES.md', () => expectGolden('ISSUES.md', renderIssues(currentRun)));
  it('FIXES.md against the previous run', () => expectGolden('FIXES.md', renderFixes(currentRun, previousRun)));
  it('FIXES.md without a previous run', () => expectGolden('FIXES-baseline.md', renderFixes(previousRun, undefined)));
  it('junit.xml', () => expectGolden('junit.xml', renderJunit(currentRun)));
  it('report.html', () => expectGolden('report.html', renderHtml(currentRun)));
});

describe('report semantics', () => {
  it('a skipped test is <skipped/> in junit, never a pass', () => {
    const xml = renderJunit(currentRun);
    expect(xml).toMatch(/name="test_activity_retry_under_load"[^>]*>\s*<skipped message="fault injection/);
    expect(xml).toContain('failures="2" skipped="1"');
  });

  it('the failed run says FAILED and names the activity-name mismatch with its fix', () => {
    expect(renderIndex(currentRun)).toContain('❌ **FAILED**');
    const issues = renderIssues(currentRun);
    expect(issues).toContain('Activity name mismatch');
    expect(issues).toContain('@activity.defn(name=');
    expect(issues).toContain('Activity function download_from_s3 is not registered on this worker');
  });

  it('a phase that ran zero workflows is never a success', () => {
    const nothing = { ...previousRun, decision: 'blocked' as const, summary: { ...previousRun.summary, workflowsExecuted: 0, workflowsSucceeded: 0 } };
    expect(renderIndex(nothing)).toContain('no workflow ran: nothing was validated');
    expect(renderIssues({ ...nothing, diagnoses: [] })).toContain('treat this run as failed');
  });

  it('an interrupted run says so in INDEX.md and junit.xml, and ISSUES.md leads with the store that went away', () => {
    const interrupted = { reason: 'store-unreachable' as const, store: 'neo4j', atMs: 8_400 };
    const lead = interruptionDiagnosis(
      {
        ...interrupted,
        evidence: { source: 'store', summary: 'neo4j stopped answering the health probe', lines: ['neo4j: connection refused on 127.0.0.1:7687'], workflows: 0 },
        fix: 'neo4j is not running: `apex up --only neo4j`. Then `apex status`, and re-run the phase.',
      },
      15_000,
      currentRun.tests,
    );
    const run = { ...currentRun, interrupted, diagnoses: [lead, ...currentRun.diagnoses] };
    expect(renderIndex(run)).toContain('**Status:** ⛔ **INTERRUPTED** (neo4j stopped answering 8.4 s into the run; see ISSUES.md)');
    expect(renderJunit(run)).toContain(
      '<properties>\n    <property name="interrupted" value="store-unreachable"/>\n    <property name="interruptedStore" value="neo4j"/>\n    <property name="interruptedAtMs" value="8400"/>\n  </properties>',
    );
    const issues = renderIssues(run);
    expect(issues).toMatch(/^## 1\. neo4j stopped answering during the run$/m);
    expect(issues).toContain('**Cause:** neo4j stopped answering the health probe from 8.4 s into the run');
    expect(issues).toContain('gave those in flight 15 s');
    expect(issues).toContain('**Fix:** neo4j is not running: `apex up --only neo4j`.');
    expect(issues.indexOf('neo4j stopped answering')).toBeLessThan(issues.indexOf('Activity name mismatch'));
  });

  it('the html holds a latency histogram and a throughput chart as SVG', () => {
    const html = renderHtml(currentRun);
    expect(html).toContain('aria-label="End-to-end latency histogram"');
    expect(html).toContain('Throughput over time: test_workflow_throughput');
    expect(html).not.toContain('<script');
  });
});
