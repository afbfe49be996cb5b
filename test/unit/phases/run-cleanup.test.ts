import { describe, expect, it } from 'vitest';
import { removePassedRunData } from '../../../src/phases/run-cleanup.js';
import type { Check } from '../../../src/results/run-result.js';
import { testStatus } from '../../../src/phases/verification.js';

/** A removal that records what it removed, after `cleanup` lets it. */
function remover(cleanup: () => Promise<void>): { removed: string[]; remove: (runId: string) => () => Promise<void> } {
  const removed: string[] = [];
  return {
    removed,
    remove: (runId) => async () => {
      await cleanup();
      removed.push(runId);
    },
  };
}

const passed: Check = { name: 'workflows completed', expected: '≥ 2/2', actual: '2/2', passed: true };
const failed: Check = { ...passed, actual: '1/2', passed: false };

describe("removing a run's data after its test", () => {
  it('removes a passed run and leaves its verdict as it was', async () => {
    const store = remover(async () => undefined);
    const verdict = { checks: [passed], evidence: [], metrics: 'kept' };
    expect(await removePassedRunData({ keepData: false }, 'run-1', verdict, store.remove('run-1'))).toBe(verdict);
    expect(store.removed).toEqual(['run-1']);
  });

  it('keeps a failed run (the evidence) and every run under --keep-data', async () => {
    const store = remover(async () => undefined);
    await removePassedRunData({ keepData: false }, 'run-failed', { checks: [failed], evidence: [] }, store.remove('run-failed'));
    await removePassedRunData({ keepData: true }, 'run-kept', { checks: [passed], evidence: [] }, store.remove('run-kept'));
    expect(store.removed).toEqual([]);
  });

  it("a removal that fails fails the verdict, naming the store's reason", async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const store = remover(() => Promise.reject(refused));
    const verdict = await removePassedRunData({ keepData: false }, 'run-2', { checks: [passed], evidence: [], metrics: 'kept' }, store.remove('run-2'));
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
