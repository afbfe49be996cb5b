import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launchChromium, missingChromium, openPage } from '../support/browser.js';
import { runCli } from '../support/cli.js';
import { testPhaseShape } from '../support/json-shapes.js';
import { missingServers } from '../support/servers.js';

const missing = missingChromium() ?? (await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']));

/** Kept after the run (not a temporary folder): CI keeps the reports and their screenshots as artefacts. */
const ARTEFACTS = fileURLToPath(new URL('../../artifacts/report-in-browser', import.meta.url));

describe.skipIf(missing)('the reports in headless Chromium (built CLI, a 2D run on the real servers)', () => {
  it(
    'report.html and reports/index.html render without console errors or requests, with the per-store verification and every chart drawn',
    { timeout: 300_000 },
    async () => {
      rmSync(ARTEFACTS, { recursive: true, force: true });
      mkdirSync(ARTEFACTS, { recursive: true });
      writeFileSync(join(ARTEFACTS, 'apex.config.yaml'), `runtime: external\ningestion:\n  taskQueue: apex-report-browser-${process.pid}\n`);
      const run = await runCli(ARTEFACTS, [
        'test',
        'phase',
        '2d',
        '--workflows',
        '5',
        '--test',
        'test_concurrent_ingestion_real_databases',
        '--test',
        'test_saga_under_load',
        '--json',
      ]);
      expect(run.exitCode, run.stderr).toBe(0);
      const [phase] = testPhaseShape.parse(JSON.parse(run.stdout)).phases;
      expect(phase.summary).toMatchObject({ workflowsSucceeded: 5, workflowsExpectedToFail: 5, workflowsFailedAsExpected: 5 });
      const index = join(ARTEFACTS, 'reports', 'index.html');
      expect(existsSync(index)).toBe(true);

      const browser = await launchChromium();
      try {
        const report = await openPage(browser, join(phase.reportDir, 'report.html'), join(phase.reportDir, 'report.png'));
        expect(report.consoleErrors).toEqual([]);
        expect(report.requests).toEqual([]);
        // Five stores and the workflows themselves, in both tests.
        expect(report.verificationRows).toBeGreaterThanOrEqual(12);
        expect(report.text).toMatch(/What was verified/);
        expect(report.text).toMatch(/5\/5 workflows successful; 5\/5 made to fail on purpose failed as expected/);
        expect(report.charts.length).toBeGreaterThanOrEqual(4);
        for (const chart of report.charts) expect(chart.marks, chart.label).toBeGreaterThan(0);
        expect(existsSync(join(phase.reportDir, 'report.png'))).toBe(true);

        const runs = await openPage(browser, index, join(ARTEFACTS, 'reports', 'index.png'));
        expect(runs.consoleErrors).toEqual([]);
        expect(runs.requests).toEqual([]);
        expect(runs.text).toContain('Phase 2d');
        expect(runs.charts.map((chart) => chart.label)).toEqual([
          'Throughput per run (phase 2d)',
          'End-to-end latency per run: P50 and P99 (phase 2d)',
          'P99 latency per test (phase 2d)',
          'Failed checks per run (phase 2d)',
        ]);
        for (const chart of runs.charts) expect(chart.marks, chart.label).toBeGreaterThan(0);
        expect(existsSync(join(ARTEFACTS, 'reports', 'index.png'))).toBe(true);
      } finally {
        await browser.close();
      }
    },
  );
});
