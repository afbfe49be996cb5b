import { describe, expect, it } from 'vitest';
import { createPhaseInterruption, describeInterruption, settledWithinGrace, type InterruptionCause } from '../../../src/phases/phase-interruption.js';

const cause = (store: string): InterruptionCause => ({
  reason: 'store-unreachable',
  store,
  atMs: 12_345,
  evidence: { source: 'store', summary: `${store} stopped answering the health probe`, lines: [], workflows: 0 },
  fix: 'apex up',
});

describe('phase interruption', () => {
  it('the first cause wins; the signal aborts with it', () => {
    const interruption = createPhaseInterruption(10);
    expect(interruption.signal.aborted).toBe(false);
    interruption.interrupt(cause('redis'));
    interruption.interrupt(cause('neo4j'));
    expect(interruption.signal.aborted).toBe(true);
    expect(interruption.cause?.store).toBe('redis');
    expect(describeInterruption(interruption.cause!)).toBe('redis stopped answering 12.3 s into the run');
    interruption.dispose();
  });

  it('work in flight is waited for until the grace after the interruption ends, never before the interruption', async () => {
    const interruption = createPhaseInterruption(30);
    const never = new Promise<void>(() => undefined);
    const waiting = settledWithinGrace(never, interruption);
    let done: boolean | undefined;
    void waiting.then((settled) => (done = settled));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBeUndefined();
    const interruptedAt = Date.now();
    interruption.interrupt(cause('redis'));
    expect(await waiting).toBe(false);
    expect(Date.now() - interruptedAt).toBeGreaterThanOrEqual(25);
    await expect(settledWithinGrace(Promise.reject(new Error('failed')), interruption)).rejects.toThrow('failed');
  });
});
