import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/reports/render-html.js';
import { renderIndex } from '../../../src/reports/render-index.js';
import { renderJunit } from '../../../src/reports/render-junit.js';
import { indexedRuns, writeReport } from '../../../src/reports/report-store.js';
import { STRIP_MAX_DOTS } from '../../../src/reports/svg-charts.js';
import { currentRun, phase2dRun, previousRun } from '../../fixtures/reports/sample-results.js';

const EMOJI = /\p{Extended_Pictographic}/u;
/** Anything a page would fetch: scripts, stylesheets, fonts, images or frames from elsewhere. */
const FETCHES = /<script|<link|<img|<iframe|@import|url\(|src=|href="https?:/;

describe('summary: workflows made to fail on purpose are counted apart', () => {
  it('the saga test adds nothing to the successes and leaves the success rate at the workflows expected to succeed', () => {
    const { summary } = phase2dRun(25);
    expect(summary).toMatchObject({ workflowsExecuted: 30, workflowsSucceeded: 25, workflowsExpectedToFail: 5, workflowsFailedAsExpected: 5, successRate: 1 });
    expect(renderIndex(phase2dRun(25))).toContain('25/25 workflows successful; 5/5 made to fail on purpose failed as expected');
  });
});

describe('report.html of a 2D run', () => {
  const html = renderHtml(phase2dRun(25, { failedCheck: true }));

  it('shows per test and per store what was expected and what was found, failing checks first', () => {
    const table = html.slice(html.indexOf('<h2>What was verified</h2>'), html.indexOf('<h2>Tests</h2>'));
    for (const store of ['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'workflows']) expect(table).toMatch(new RegExp(`<th rowspan="\\d+">${store}`));
    expect(table).toContain('<td>documents rows of the run</td><td>25</td><td>24</td>');
    // The failing test opens the section, and inside it the store with the failed check comes first.
    expect(table.indexOf('test_concurrent_ingestion_real_databases')).toBeLessThan(table.indexOf('test_saga_under_load'));
    const firstStore = /<th rowspan="\d+">(\w+)/.exec(table)?.[1];
    expect(firstStore).toBe('postgres');
    expect(table).toContain('<details open>');
  });

  it('names the contract, the worker and the stand-in, on the page and beside its checks', () => {
    expect(html).toContain('<code>apex-memory</code>; worker started');
    expect(html).toContain('qdrant was answered by a stand-in (Qdrant stand-in (apex tests))');
    expect(html).toMatch(/<th rowspan="\d+">qdrant<br><span class="badge standin"/);
    expect(html).toContain('25/25 workflows successful; 5/5 made to fail on purpose failed as expected');
  });

  it('puts every chart title above its chart, labels axes with units, and uses no emoji and nothing fetched', () => {
    expect(EMOJI.test(html)).toBe(false);
    expect(FETCHES.test(html)).toBe(false);
    for (const [, after] of html.matchAll(/<\/h3>\n(<figure><figcaption>[^<]*<\/figcaption><svg)/g)) expect(after).toBeTruthy();
    expect(html.match(/<h3>/g)?.length).toBe(html.match(/<figure>/g)?.length);
    expect(html).toContain('end-to-end latency (ms), one dot per workflow');
    expect(html).toContain('workflows closed / s');
  });

  it('draws one dot per workflow in the latency strip, even for 5 workflows', () => {
    const small = renderHtml(phase2dRun(5));
    const strip = small.slice(small.indexOf('aria-label="End-to-end latency per workflow"'));
    expect(strip.slice(0, strip.indexOf('</svg>')).match(/<circle class="mark"/g)?.length).toBe(5 + 1);
  });

  it('stays small for 5,000 workflows: the strip samples the sorted latencies', () => {
    const sizes = [5, 5000].map((n) => Buffer.byteLength(renderHtml(phase2dRun(n))));
    const large = renderHtml(phase2dRun(5000));
    expect(large.match(/<circle class="mark"/g)?.length).toBe(STRIP_MAX_DOTS + 1000);
    expect(large).toContain(`${STRIP_MAX_DOTS} evenly spaced over the sorted latencies`);
    expect(sizes[1]).toBeLessThan(600_000);
  });

  it('the older reports say the same in INDEX.md and junit.xml', () => {
    const run = phase2dRun(5);
    expect(renderIndex(run)).toContain('| **Stand-in** | qdrant was answered by a stand-in');
    expect(renderIndex(run)).toContain('qdrant: points of the document (per succeeded document): expected ≥ 1 for 5/5, actual ≥ 1 for 5/5 (stand-in: Qdrant stand-in (apex tests))');
    expect(renderJunit(run)).toContain('<property name="stand-in" value="qdrant: Qdrant stand-in (apex tests)"/>');
    expect(renderJunit(currentRun)).not.toContain('stand-in');
  });
});

describe('reports/index.html: every run of every phase, with trends', () => {
  function reportsWithHistory(): string {
    const root = mkdtempSync(join(tmpdir(), 'apex-index-'));
    writeReport(previousRun, root, []);
    writeReport(currentRun, root, []);
    writeReport(phase2dRun(5, { runId: '2d-a', startedAt: '2026-11-24T10:00:00.000Z' }), root, []);
    const other = phase2dRun(5, { runId: '2d-b', startedAt: '2026-11-25T10:00:00.000Z' });
    writeReport({ ...other, environment: { ...other.environment, contract: 'reference', worker: 'in-process' } }, root, []);
    writeReport(phase2dRun(5, { runId: '2d-c', startedAt: '2026-11-26T10:00:00.000Z', failedCheck: true }), root, []);
    // A corrupt file and one another apex version wrote are listed as such.
    for (const [name, text] of [
      ['2026-11-27T10-00-00Z', '{ not json'],
      ['2026-11-28T10-00-00Z', JSON.stringify({ schemaVersion: 0, phase: '2d' })],
    ]) {
      mkdirSync(join(root, '2d', name), { recursive: true });
      writeFileSync(join(root, '2d', name, 'results.json'), text);
    }
    return root;
  }

  it('lists every run with its decision, corrupt and older ones as such, and marks runs on another contract or worker', () => {
    const root = reportsWithHistory();
    const runs = indexedRuns(root);
    expect(runs.map((run) => [run.phase, run.result?.runId ?? run.unreadable?.code])).toEqual([
      ['2c', '2c-previous'],
      ['2c', '2c-current'],
      ['2d', '2d-a'],
      ['2d', '2d-b'],
      ['2d', '2d-c'],
      ['2d', 'RESULTS_INVALID'],
      ['2d', 'RESULTS_VERSION'],
    ]);
    const file = writeReport(phase2dRun(5, { runId: '2d-d', startedAt: '2026-11-29T10:00:00.000Z' }), root, []).index;
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<tr><td><a href=/g)?.length).toBe(8);
    expect(html).toContain('<span class="badge invalid">INVALID</span>');
    expect(html).toContain('<span class="badge older">OLDER</span>');
    expect(html.match(/class="badge blocked"/g)?.length).toBe(2);
    expect(html).toContain('title="contract reference, worker in-process">DIFFERS');
    expect(html).toContain('Throughput per run (phase 2d)');
    expect(html).toContain('Failed checks per run (phase 2d)');
    expect(html.match(/<rect class="mark"[^>]*fill="#fff"/g)?.length).toBeGreaterThan(0);
    expect(EMOJI.test(html)).toBe(false);
    expect(FETCHES.test(html.replace(/href="[^"]*\/report\.html"/g, ''))).toBe(false);
  });
});
