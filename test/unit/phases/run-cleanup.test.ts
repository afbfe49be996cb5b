import { describe, expect, it } from 'vitest';
import type { PhaseEnvironment } from '../../../src/phases/phase-context.js';
import { removePassedRunData } from '../../../src/phases/run-cleanup.js';
import type { Check } from '../../../src/results/run-result.js';
import { testStatus } from '../../../src/phases/verification.js';

function environment(cleanup: (runId: string) => Promise<void>): PhaseEnvironment & { removed: string[] } {
  const removed: string[] = [];
  return {
    removed,
    bucket: 'apex-test',
    upload: async () => undefined,
    counts: async () => ({ counts: {}, errors: [] }),
    cleanup: async (runId) => {
      await cleanup(runId);
      removed.push(runId);
    },
    close: async () => undefined,
  };
}

const passed: Check = { name: 'workflows completed', expected: '≥ 2/2', actual: '2/2', passed: true };
const failed: Check = { ...passed, actual: '1/2', passed: false };

describe("removing a run's data after its test", () => {
  it('removes a passed run and leaves its verdict as it was', async () => {
    const env = environment(async () => undefined);
    const verdict = { checks: [passed], evidence: [], metrics: 'kept' };
    expect(await removePassedRunData({ environment: env, keepData: false }, 'run-1', verdict)).toBe(verdict);
    expect(env.removed).toEqual(['run-1']);
  });

  it('keeps a failed run (the evidence) and every run under --keep-data', async () => {
    const env = environment(async () => undefined);
    await removePassedRunData({ environment: env, keepData: false }, 'run-failed', { checks: [failed], evidence: [] });
    await removePassedRunData({ environment: env, keepData: true }, 'run-kept', { checks: [passed], evidence: [] });
    expect(env.removed).toEqual([]);
  });

  it("a removal that fails fails the verdict, naming the store's reason", async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const env = environment(() => Promise.reject(refused));
    const verdict = await removePassedRunData({ environment: env, keepData: false }, 'run-2', { checks: [passed], evidence: [], metrics: 'kept' });
    expect(testStatus(verdict.checks)).toEqual({
      status: 'failed',
      reason: 'data of run run-2 removed after it passed: expected removed, got not removed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:6379',
    });
    expect(verdict.evidence).toEqual([
      {
        source: 'store',
        summary: 'run run-2 passed, but its data could not be removed',
        lines: ['ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:6379'],
        workflows: 0,
      },
    ]);
    expect(verdict.metrics).toBe('kept');
  });
});
