import { describe, expect, it } from 'vitest';
import { generateLoad, type Clock } from '../../../src/phases/load-generator.js';

/** A virtual clock: sleeping advances time, so schedules are exact and tests are instant. */
function virtualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('load generator', () => {
  it('closed model never has more jobs in flight than its concurrency, and runs exactly count jobs', async () => {
    const clock = virtualClock();
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const summary = await generateLoad({ model: { kind: 'closed', concurrency: 4 }, count: 25 }, clock, async (index) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      seen.push(index);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
    });
    expect(summary.started).toBe(25);
    expect(peak).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, index) => index));
  });

  it('open model schedules intended starts at the target rate, whatever the jobs take', async () => {
    const clock = virtualClock();
    const intended: number[] = [];
    const origin = clock.now();
    await generateLoad({ model: { kind: 'open', ratePerSecond: 20 }, count: 10 }, clock, async (_index, at) => {
      intended.push(at - origin);
    });
    expect(intended).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
  });

  it('open model keeps the intended start when the generator stalls (no coordinated omission)', async () => {
    const clock = virtualClock();
    const origin = clock.now();
    const records: { index: number; intended: number; actual: number }[] = [];
    const summary = await generateLoad({ model: { kind: 'open', ratePerSecond: 10 }, count: 5 }, clock, async (index, at) => {
      records.push({ index, intended: at - origin, actual: clock.now() - origin });
      // The submission of job 1 blocks the generator for 350 ms.
      if (index === 1) clock.advance(350);
    });
    expect(records.map((record) => record.intended)).toEqual([0, 100, 200, 300, 400]);
    // Jobs 2 and 3 started late; their latency counts from 200 and 300 ms, not from when they actually started.
    expect(records[2].actual).toBe(450);
    expect(records[3].actual).toBe(450);
    expect(summary.maxStartLagMs).toBe(250);
  });

  it('stops on duration, and refuses a plan with neither count nor duration', async () => {
    const clock = virtualClock();
    const summary = await generateLoad({ model: { kind: 'open', ratePerSecond: 10 }, durationMs: 1_000 }, clock, async () => undefined);
    expect(summary.started).toBe(10);
    await expect(generateLoad({ model: { kind: 'closed', concurrency: 1 } }, clock, async () => undefined)).rejects.toThrow(/count or a duration/);
  });

  it('closed model with a duration stops starting jobs once time is up', async () => {
    const clock = virtualClock();
    const summary = await generateLoad({ model: { kind: 'closed', concurrency: 2 }, durationMs: 1_000 }, clock, async () => clock.advance(100));
    // Each job advances the one virtual clock by 100 ms: ten jobs fill the second.
    expect(summary.started).toBe(10);
  });
});

describe('load generator, interrupted', () => {
  it('starts no job once its signal aborts, in either model; jobs already started run to their end', async () => {
    for (const model of [{ kind: 'closed', concurrency: 3 } as const, { kind: 'open', ratePerSecond: 100 } as const]) {
      const clock = virtualClock();
      const controller = new AbortController();
      let finished = 0;
      const summary = await generateLoad({ model, count: 50, signal: controller.signal }, clock, async (index) => {
        if (index === 9) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 1));
        finished++;
      });
      expect(summary.started, model.kind).toBeLessThanOrEqual(12);
      expect(summary.started, model.kind).toBeGreaterThanOrEqual(10);
      expect(finished, model.kind).toBe(summary.started);
    }
  });
});
