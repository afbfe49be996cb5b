import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseRunResult } from '../../src/results/run-result.js';
import { LABELS } from '../../src/runtime/labels.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { runCli } from '../support/cli.js';
import { localImages, missingDockerImages } from '../support/docker-gate.js';

/**
 * A container dies under a running phase, or `apex down` stops the stack under it (built CLI, Docker, local images):
 * the phase ends within a minute with a report marked interrupted, exit code 1, and no stack trace.
 */
const missing = await missingDockerImages(['temporal']);
const docker = new Docker();
const { freePort } = createPortAllocator();

/** A throughput test that would run two minutes uninterrupted; its workflows in flight get 5 s once interrupted. */
const LONG_2C = ['test', 'phase', '2c', '--test', 'test_workflow_throughput', '--duration', '120', '--grace', '5'];
const STACK_LINE = /^\s+at /m;

function projectDir(services: Record<string, object>, project?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-faults-docker-'));
  writeFileSync(join(dir, 'apex.config.yaml'), stringify({ ...(project && { project }), services }));
  return dir;
}

/** Resolves once the phase has printed that its tests start, plus time for its worker to start and workflows to run. */
async function phaseRunning(run: ReturnType<typeof runCli>): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    run.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('Phase 2C')) resolve();
    });
    void run.then(() => reject(new Error(`the phase ended before it ran:\n${seen}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 12_000));
}

function interruptedReport(dir: string) {
  const phaseDir = join(dir, 'reports', '2c');
  const [run] = readdirSync(phaseDir);
  const read = (file: string) => readFileSync(join(phaseDir, run, file), 'utf8');
  return { read, result: parseRunResult(read('results.json'), 'results.json', '2c') };
}

describe.skipIf(missing)('a phase on Docker meets a fault (built CLI)', { timeout: 300_000 }, () => {
  const images = missing ? {} : localImages();

  it('the ephemeral Temporal container killed mid-phase: ended within 60 s, Temporal first in ISSUES.md, exit 1', async () => {
    const dir = projectDir({ temporal: { image: images.temporal } });
    const run = runCli(dir, [...LONG_2C, '--ephemeral']);
    await phaseRunning(run);
    const containers = await docker.listContainers({ filters: { label: [`${LABELS.ephemeralOwnerPid}=${run.pid}`, `${LABELS.composeService}=temporal`] } });
    expect(containers).toHaveLength(1);
    await docker.getContainer(containers[0].Id).kill();
    const killedAt = Date.now();
    const { exitCode, stderr } = await run;
    const secondsToEnd = (Date.now() - killedAt) / 1000;
    console.log(`phase ended ${secondsToEnd.toFixed(1)} s after its Temporal container was killed`);

    expect(exitCode, stderr).toBe(1);
    expect(secondsToEnd).toBeLessThan(60);
    expect(stderr).not.toMatch(STACK_LINE);
    const { read, result } = interruptedReport(dir);
    expect(result.interrupted).toMatchObject({ reason: 'store-unreachable', store: 'temporal' });
    expect(read('ISSUES.md')).toMatch(/## 1\. temporal stopped answering during the run/);
    expect(read('INDEX.md')).toContain('⛔ **INTERRUPTED** (temporal stopped answering');
  });

  describe('`apex down` during a phase', () => {
    const project = `apex-faults${process.pid}`;
    let dir = '';
    afterAll(async () => {
      if (dir) await runCli(dir, ['down', '--volumes', '--yes']);
    });

    it('ends the phase with a report marked interrupted, exit 1, no stack trace', async () => {
      const ports = { grpc: await freePort(), ui: await freePort(), metrics: await freePort() };
      dir = projectDir({ temporal: { image: images.temporal, ports } }, project);
      const up = await runCli(dir, ['up', '--only', 'temporal']);
      expect(up.exitCode, up.stderr).toBe(0);
      const run = runCli(dir, LONG_2C);
      await phaseRunning(run);
      const down = await runCli(dir, ['down']);
      const downAt = Date.now();
      expect(down.exitCode, down.stderr).toBe(0);
      const { exitCode, stderr } = await run;
      const secondsToEnd = (Date.now() - downAt) / 1000;
      console.log(`phase ended ${secondsToEnd.toFixed(1)} s after \`apex down\` returned`);

      expect(exitCode, stderr).toBe(1);
      expect(secondsToEnd).toBeLessThan(60);
      expect(stderr).not.toMatch(STACK_LINE);
      const { read, result } = interruptedReport(dir);
      expect(result.interrupted).toMatchObject({ reason: 'store-unreachable', store: 'temporal' });
      expect(read('INDEX.md')).toContain('⛔ **INTERRUPTED**');
      expect(read('junit.xml')).toContain('<property name="interrupted" value="store-unreachable"/>');
    });
  });
});
