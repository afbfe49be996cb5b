import { describe, expect, it } from 'vitest';
import type { HealthResult } from '../../../src/services/health.js';
import { serviceByName } from '../../../src/services/catalog.js';
import type { ServiceName } from '../../../src/services/service.js';
import type { InterruptionCause } from '../../../src/phases/phase-interruption.js';
import { watchStack } from '../../../src/phases/stack-watch.js';

const TIMEOUT_MS = 100;
const ok = (service: ServiceName): HealthResult => ({ service, ok: true, latencyMs: 1 });
const refused = (service: ServiceName): HealthResult => ({
  service,
  ok: false,
  latencyMs: 1,
  error: `${service}: connection refused on 127.0.0.1:1`,
  fix: `${service} is not running: \`apex up --only ${service}\`.`,
});
const slow = (service: ServiceName): HealthResult => ({ service, ok: false, latencyMs: TIMEOUT_MS, error: `${service}: no answer within ${TIMEOUT_MS} ms` });

/** Plays probe rounds in order (the last one repeats), on a clock that advances 1 s per round. */
function watched(rounds: HealthResult[][]) {
  let round = 0;
  let now = 10_000;
  const causes: InterruptionCause[] = [];
  /** How many rounds had been probed when the service was declared down. */
  let downAfter: number | undefined;
  const services = [...new Set(rounds.flat().map((result) => result.service))].map(serviceByName);
  const watch = watchStack({
    stack: undefined as never,
    services,
    startedAt: 0,
    now: () => now,
    onDown: (cause) => {
      causes.push(cause);
      downAfter = round;
    },
    intervalMs: 1,
    probeTimeoutMs: TIMEOUT_MS,
    probe: async () => {
      const results = rounds[Math.min(round, rounds.length - 1)];
      round++;
      now += 1_000;
      return results;
    },
  });
  const settle = async (rounds: number) => {
    for (let i = 0; i < rounds * 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  return { causes, watch, settle, rounds: () => round, downAfter: () => downAfter };
}

describe('stack watch', () => {
  it('a store refused three probes in a row is down: named, timed from its first failure, with its fix; probing stops', async () => {
    const { causes, watch, settle, rounds, downAfter } = watched([
      [ok('temporal'), ok('redis')],
      [ok('temporal'), refused('redis')],
    ]);
    await settle(10);
    expect(causes).toHaveLength(1);
    expect(downAfter()).toBe(4);
    expect(causes[0]).toMatchObject({ reason: 'store-unreachable', store: 'redis', atMs: 11_000 });
    expect(causes[0].fix).toBe('redis is not running: `apex up --only redis`. Then `apex status`, and re-run the phase.');
    expect(causes[0].evidence.lines).toEqual(['redis: redis: connection refused on 127.0.0.1:1']);
    expect(rounds()).toBe(4);
    await watch.stop();
  });

  it('one failed probe between good ones is not a dead store', async () => {
    const { causes, watch, settle } = watched([[refused('redis')], [refused('redis')], [ok('redis')], [refused('redis')], [refused('redis')], [ok('redis')]]);
    await settle(10);
    expect(causes).toEqual([]);
    await watch.stop();
  });

  it('a store only slow under load needs five probes without an answer; a refusal leads it', async () => {
    const slowOnly = watched([[slow('qdrant')]]);
    await slowOnly.settle(10);
    expect(slowOnly.causes).toMatchObject([{ reason: 'store-unreachable', store: 'qdrant' }]);
    expect(slowOnly.downAfter()).toBe(5);
    await slowOnly.watch.stop();

    const both = watched([
      [slow('qdrant'), ok('redis')],
      [slow('qdrant'), ok('redis')],
      [slow('qdrant'), refused('redis')],
    ]);
    await both.settle(10);
    expect(both.causes).toMatchObject([{ reason: 'store-unreachable', store: 'redis' }]);
    await both.watch.stop();
  });

  it('several services refused at once: the stack went down', async () => {
    const { causes, watch, settle } = watched([[refused('temporal'), refused('postgres'), refused('redis')]]);
    await settle(10);
    expect(causes).toMatchObject([{ reason: 'stack-down', atMs: 10_000 }]);
    expect(causes[0].evidence.summary).toBe('every service of the phase stopped answering: temporal, postgres, redis');
    expect(causes[0].fix).toContain('`apex up`');
    await watch.stop();
  });

  it('stop() ends the probing', async () => {
    const { watch, settle, rounds } = watched([[ok('redis')]]);
    await settle(3);
    await watch.stop();
    const after = rounds();
    await settle(5);
    expect(rounds()).toBe(after);
  });
});
