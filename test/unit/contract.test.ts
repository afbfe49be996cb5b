import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStack } from '../../src/config/stack-context.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { phaseList } from '../../src/phases/registry.js';
import { runTestPhase } from '../../src/phases/test-phase.js';
import { latestSummaries } from '../../src/reports/latest-summary.js';
import { writeReport } from '../../src/reports/report-store.js';
import { parseRunResult } from '../../src/results/run-result.js';
import { silentProgress } from '../../src/ui/progress.js';
import { currentRun, previousRun } from '../fixtures/reports/sample-results.js';
import { errorOutput, unexpectedError } from '../../src/cli/error-output.js';
import { ApexError } from '../../src/errors.js';
import { exportCompose } from '../../src/stack/compose-export.js';
import { runEnv } from '../../src/stack/env.js';
import { runInit } from '../../src/stack/init.js';
import { composeExportShape, doctorShape, envShape, errorShape, initShape, reportShape, testListShape, testPhaseShape } from '../support/json-shapes.js';

/**
 * The CLI's public surface: every command's flags and args (from the manifest `npm run build` writes) are
 * snapshotted, so removing or renaming one fails here; the --json outputs are checked against test/support/json-shapes.
 * An intended change: `npx vitest run test/unit/contract.test.ts -u` and say so in the commit.
 */
const MANIFEST = new URL('../../oclif.manifest.json', import.meta.url);

interface ManifestFlag {
  name: string;
  type: string;
  char?: string;
  multiple?: boolean;
  options?: string[];
  default?: unknown;
  delimiter?: string;
}
interface ManifestCommand {
  id: string;
  flags: Record<string, ManifestFlag>;
  args: Record<string, { name: string; options?: string[]; required?: boolean }>;
  enableJsonFlag?: boolean;
  examples?: string[];
}

const manifest = existsSync(MANIFEST) ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { commands: Record<string, ManifestCommand> }) : undefined;

describe('command contract', () => {
  it('has a manifest (run `npm run build` first)', () => {
    expect(manifest, 'oclif.manifest.json is missing: run `npm run build`').toBeDefined();
  });

  for (const [id, command] of Object.entries(manifest?.commands ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    it(`${id}: flags and args are unchanged`, () => {
      const flags = Object.values(command.flags)
        .map(({ name, type, char, multiple, options, default: fallback, delimiter }) => ({ name, type, char, multiple, options, default: fallback, delimiter }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const args = Object.values(command.args).map(({ name, options, required }) => ({ name, options, required }));
      expect({ json: Boolean(command.enableJsonFlag), flags, args }).toMatchSnapshot();
    });

    it(`${id}: --help has examples`, () => {
      expect(command.examples?.length ?? 0).toBeGreaterThan(0);
    });
  }
});

describe('--json shapes', () => {
  it('doctor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-contract-'));
    const report = await runDoctor({ cwd: dir, processEnv: {} }, { only: ['redis'] });
    expect(() => doctorShape.parse(report)).not.toThrow();
    expect(report.findings.map((finding) => finding.check)).toEqual(expect.arrayContaining(['node', 'config', 'docker']));
  });

  it('init, which writes .env at mode 0600 and refuses to overwrite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-contract-'));
    const result = runInit(dir, { force: false });
    expect(() => initShape.parse(result)).not.toThrow();
    expect(statSync(result.envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(result.envFile, 'utf8')).toMatch(/^POSTGRES_PASSWORD=[A-Za-z0-9_-]{24}$/m);
    let refused: unknown;
    try {
      runInit(dir, { force: false });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApexError);
    expect((refused as ApexError).exitCode).toBe(2);
    expect((refused as ApexError).fix).toContain('--force');
    expect(runInit(dir, { force: true }).overwritten).toHaveLength(2);
  });

  it('compose export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-contract-'));
    expect(() => composeExportShape.parse(exportCompose({ cwd: dir, processEnv: {} }, '-'))).not.toThrow();
  });

  it('env, with and without --output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-contract-'));
    writeFileSync(join(dir, 'apex.config.yaml'), 'runtime: external\ncontract: apex-memory\n');
    const printed = envShape.parse(runEnv({ cwd: dir, processEnv: {} }, { format: 'dotenv' }));
    expect(printed).toMatchObject({ contract: 'apex-memory', names: 'contract', perRun: [] });
    expect(printed.output).toBeUndefined();
    const written = envShape.parse(runEnv({ cwd: dir, processEnv: {} }, { format: 'json', output: 'worker.env' }));
    expect(written.output).toBe(join(dir, 'worker.env'));
  });

  it('test list', () => {
    const list = testListShape.parse(phaseList({ label: 'apex-memory' }));
    expect(list.phases.map((phase) => phase.id)).toEqual(['2c', '2d', '2e', '2f']);
    expect(list.phases.map((phase) => phase.contract)).toEqual(['apex-memory', 'apex-memory', 'apex-memory', 'apex-memory']);
  });

  it('report', () => {
    const reports = mkdtempSync(join(tmpdir(), 'apex-contract-'));
    writeReport(previousRun, reports, []);
    writeReport(currentRun, reports, []);
    const output = reportShape.parse(latestSummaries(reports));
    expect(output.reports.map((report) => report.runId)).toEqual([currentRun.runId]);
  });

  it('test phase, on a Temporal that does not answer: a blocked result and a results.json that reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-contract-'));
    writeFileSync(join(dir, 'apex.config.yaml'), `runtime: external\nservices:\n  temporal:\n    ports: { grpc: ${await createPortAllocator().freePort()} }\n`);
    const result = await runTestPhase({
      load: (processEnv) => loadStack({ cwd: dir, processEnv: processEnv ?? {} }),
      phase: '2c',
      overrides: {},
      externalWorker: false,
      workflowOptions: { localCpuSteps: true, localStoreWrites: true },
      eagerStart: true,
      keepData: false,
      progress: silentProgress,
      apexVersion: '0.0.0-test',
    });
    const output = testPhaseShape.parse(result);
    expect(output).toMatchObject({ ok: false, phases: [{ phase: '2c', decision: 'blocked' }] });
    const file = join(output.phases[0].reportDir, 'results.json');
    expect(parseRunResult(readFileSync(file, 'utf8'), file)).toMatchObject({ phase: '2c', decision: 'blocked', environment: { apexVersion: '0.0.0-test' } });
  });

  it('errors', () => {
    const error = new ApexError('PORT_IN_USE', 'Port 5432 is taken.', 'Stop it.', 1, ['detail']);
    expect(errorShape.parse(errorOutput(error))).toEqual({
      apiVersion: 1,
      error: { code: 'PORT_IN_USE', message: 'Port 5432 is taken.', fix: 'Stop it.', details: ['detail'] },
    });
    const unexpected = errorShape.parse(errorOutput(unexpectedError(new TypeError('x is undefined'), { DEBUG: '1' })));
    expect(unexpected.error).toMatchObject({ code: 'UNEXPECTED', message: 'x is undefined' });
    expect(unexpected.error.details[0]).toMatch(/^at /);
  });
});
