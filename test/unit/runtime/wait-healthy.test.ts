import { describe, expect, it } from 'vitest';
import { pollUntil, type Clock } from '../../../src/runtime/poll.js';
import { waitUntilHealthy, type ServiceHealth } from '../../../src/runtime/wait-healthy.js';
import { serviceByName } from '../../../src/services/catalog.js';

/** Time that advances only when someone sleeps: timeouts run instantly and exactly. */
/**
 * Virtual time shared by concurrent pollers: a sleep wakes when every other poller is asleep too (setImmediate runs
 * after the pending microtasks), and time jumps to the earliest wake-up.
 */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  const timers: { at: number; wake: () => void }[] = [];
  const wakeEarliest = () => {
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (!next) return;
    now = Math.max(now, next.at);
    next.wake();
  };
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      return new Promise<void>((wake) => {
        timers.push({ at: now + ms, wake });
        setImmediate(wakeEarliest);
      });
    },
  };
}

describe('pollUntil', () => {
  it('returns the first defined value', async () => {
    let calls = 0;
    const value = await pollUntil(async () => (++calls === 3 ? 'ready' : undefined), { timeoutMs: 10_000, intervalMs: 500, clock: fakeClock() });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('gives up at the timeout without oversleeping', async () => {
    const clock = fakeClock();
    expect(await pollUntil(async () => undefined, { timeoutMs: 1_200, intervalMs: 500, clock })).toBeUndefined();
    expect(clock.slept).toEqual([500, 500, 200]);
  });
});

describe('waitUntilHealthy', () => {
  const postgres = serviceByName('postgres');
  const redis = serviceByName('redis');
  const neo4j = serviceByName('neo4j');

  it('retries only the services that are still unhealthy', async () => {
    const probes: string[] = [];
    const healthyAt: Record<string, number> = { postgres: 1, redis: 3 };
    const counts: Record<string, number> = {};
    const outcome = await waitUntilHealthy(
      [postgres, redis],
      async (service) => {
        probes.push(service.name);
        counts[service.name] = (counts[service.name] ?? 0) + 1;
        return { ok: counts[service.name] >= healthyAt[service.name], detail: 'probe' };
      },
      { clock: fakeClock(), timeoutSeconds: () => 60 },
    );
    expect(outcome).toEqual({ healthy: ['postgres', 'redis'], unhealthy: [] });
    expect(probes).toEqual(['postgres', 'redis', 'redis', 'redis']);
  });

  it('reports a healthy service while another probe is still waiting for its answer', async () => {
    let answerNeo4j: () => void = () => undefined;
    const neo4jAnswers = new Promise<void>((resolve) => (answerNeo4j = resolve));
    const reported: string[] = [];
    const outcome = await waitUntilHealthy(
      [neo4j, redis],
      async (service) => {
        if (service.name === 'neo4j') await neo4jAnswers;
        return { ok: true, detail: 'probe' };
      },
      {
        clock: fakeClock(),
        timeoutSeconds: () => 60,
        // neo4j answers only once redis has been reported: waiting for every probe of a round would never end.
        onHealthy: (service) => {
          reported.push(service.name);
          answerNeo4j();
        },
      },
    );
    expect(reported).toEqual(['redis', 'neo4j']);
    expect(outcome).toEqual({ healthy: ['redis', 'neo4j'], unhealthy: [] });
  });

  it('gives each service its own timeout and keeps the last probe detail', async () => {
    const clock = fakeClock();
    const outcome = await waitUntilHealthy(
      [redis, neo4j],
      async (service): Promise<ServiceHealth> =>
        service.name === 'neo4j' && clock.now() >= 5_000 ? { ok: true, detail: 'bolt ok' } : { ok: false, detail: `${service.name} refused` },
      { clock, intervalMs: 1_000, timeoutSeconds: (service) => (service.name === 'redis' ? 3 : 30) },
    );
    expect(outcome.healthy).toEqual(['neo4j']);
    expect(outcome.unhealthy).toEqual([{ service: redis, last: { ok: false, detail: 'redis refused' }, fatal: false }]);
  });

  it('stops waiting at once for a container that exited, and turns a throwing probe into a detail', async () => {
    const clock = fakeClock();
    const outcome = await waitUntilHealthy(
      [postgres, redis],
      async (service) => {
        if (service.name === 'redis') throw new Error('connect ECONNREFUSED');
        return { ok: false, fatal: true, detail: 'container exited with code 55' };
      },
      { clock, timeoutSeconds: () => 2 },
    );
    expect(outcome.unhealthy.map((entry) => [entry.service.name, entry.last.detail, entry.fatal])).toEqual([
      ['postgres', 'container exited with code 55', true],
      ['redis', 'connect ECONNREFUSED', false],
    ]);
    expect(clock.now()).toBe(2_000);
  });

  const rejection: ServiceHealth = {
    ok: false,
    detail: 'postgres rejected the credentials: password authentication failed',
    rejected: { key: 'POSTGRES_PASSWORD', fix: 'put the old value back' },
  };

  it('gives up on a service that keeps refusing the password once the grace is over, long before its timeout', async () => {
    const clock = fakeClock();
    const lastProbe: Record<string, number> = {};
    const outcome = await waitUntilHealthy(
      [postgres, redis],
      async (service): Promise<ServiceHealth> => {
        lastProbe[service.name] = clock.now();
        if (service.name === 'redis') return { ok: clock.now() >= 12_000, detail: 'loading' };
        return clock.now() >= 4_000 ? rejection : { ok: false, detail: 'docker health check: starting' };
      },
      { clock, intervalMs: 1_000, timeoutSeconds: () => 90, rejectionGraceMs: 3_000 },
    );
    expect(outcome).toEqual({ healthy: ['redis'], unhealthy: [{ service: postgres, last: rejection, fatal: true }] });
    expect(lastProbe).toEqual({ postgres: 7_000, redis: 12_000 });
  });

  it('waits on through refusals that stop within the grace, or that a different answer interrupts', async () => {
    const clock = fakeClock();
    // A server applying its password while it starts: refused at 0-2 s, restarting at 3 s, refused at 4-6 s, then ok.
    const outcome = await waitUntilHealthy(
      [neo4j],
      async (): Promise<ServiceHealth> => {
        const now = clock.now();
        if (now === 3_000) return { ok: false, detail: 'connection reset' };
        return now < 7_000 ? rejection : { ok: true, detail: 'bolt ok' };
      },
      { clock, intervalMs: 1_000, timeoutSeconds: () => 90, rejectionGraceMs: 3_000 },
    );
    expect(outcome).toEqual({ healthy: ['neo4j'], unhealthy: [] });
    expect(clock.now()).toBe(7_000);
  });
});
