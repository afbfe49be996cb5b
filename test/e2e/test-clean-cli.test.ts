import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { findLedgers } from '../../src/phases/run-ledger.js';
import { SMALL_PHASES } from '../support/apex-memory-double.js';
import { CLI_BIN, runCli } from '../support/cli.js';
import { errorShape, testCleanListShape, testCleanShape } from '../support/json-shapes.js';
import { missingServers } from '../support/servers.js';

const missing = await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);

const project = () => {
  const dir = mkdtempSync(join(tmpdir(), 'apex-clean-cli-'));
  writeFileSync(join(dir, 'apex.config.yaml'), `runtime: external\n${SMALL_PHASES}`);
  return dir;
};

const startedIn = (ledger: string): number => (readFileSync(ledger, 'utf8').match(/"kind":"started"/g) ?? []).length;

describe('apex test clean (built CLI)', () => {
  it('usage: a run, --all or --list is needed; an unknown run exits 2 naming --list', async () => {
    const dir = project();
    const none = await runCli(dir, ['test', 'clean', '--json']);
    expect(none.exitCode).toBe(2);
    expect(errorShape.parse(JSON.parse(none.stdout)).error).toMatchObject({ code: 'USAGE' });
    const unknown = await runCli(dir, ['test', 'clean', '2d-nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('No run 2d-nope has a ledger');
    expect(unknown.stderr).toContain('apex test clean --list');
    const list = await runCli(dir, ['test', 'clean', '--list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('No run left data behind.');
    const help = await runCli(dir, ['test', 'clean', '--help']);
    expect(help.stdout).toContain('apex test clean --list');
  });

  it.skipIf(missing)('a phase killed mid-run is listed with its leftovers, and `apex test clean <run>` removes them all', { timeout: 300_000 }, async () => {
    const dir = project();
    const phase = execa('node', [CLI_BIN, 'test', 'phase', '2d', '--test', 'test_sustained_throughput_real_db', '--workflows', '20', '--concurrency', '1'], {
      cwd: dir,
      reject: false,
      stdin: 'ignore',
      env: { NO_COLOR: '1', NODE_ENV: 'production' },
    });
    // Killed (SIGKILL: no handler runs) once three workflows have started: the ledger is all that is left of the run.
    const deadline = Date.now() + 120_000;
    let ledger: string | undefined;
    while (Date.now() < deadline) {
      ledger = findLedgers(join(dir, 'reports'))[0];
      if (ledger && existsSync(ledger) && startedIn(ledger) >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    phase.kill('SIGKILL');
    await phase;
    expect(ledger && startedIn(ledger)).toBeGreaterThanOrEqual(3);

    const listed = await runCli(dir, ['test', 'clean', '--list', '--json']);
    expect(listed.exitCode).toBe(0);
    const { runs } = testCleanListShape.parse(JSON.parse(listed.stdout));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ phase: '2d', reason: 'left', workloads: 1, documents: 20 });
    expect(runs[0]).not.toHaveProperty('ended');
    const text = await runCli(dir, ['test', 'clean', '--list']);
    expect(text.stdout).toContain(`${runs[0].runId}  left (cut short)`);

    const cleaned = await runCli(dir, ['test', 'clean', runs[0].runId, '--json']);
    expect(cleaned.exitCode, cleaned.stderr).toBe(0);
    const result = testCleanShape.parse(JSON.parse(cleaned.stdout));
    expect(result.runs).toHaveLength(1);
    const [run] = result.runs;
    // Every document was delivered before the clock started; at least the three started workflows wrote to each store.
    expect(run.beforeCleanup.s3).toBe(20);
    for (const store of ['postgres', 'neo4j', 'qdrant', 'redis'] as const) expect(run.beforeCleanup[store], store).toBeGreaterThanOrEqual(2);
    expect(run.leftAfterCleanup).toEqual({ postgres: 0, neo4j: 0, qdrant: 0, redis: 0, s3: 0 });

    const after = await runCli(dir, ['test', 'clean', '--list', '--json']);
    expect(testCleanListShape.parse(JSON.parse(after.stdout)).runs).toEqual([]);
    const again = await runCli(dir, ['test', 'clean', runs[0].runId]);
    expect(again.stdout).toContain(`Run ${runs[0].runId} left nothing behind.`);
  });
});
