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

/** Plays each service's probe answers in order (its last one repeats); the clock advances 1 s per reading. */
function watched(script: Partial<Record<ServiceName, HealthResult[]>>) {
  const calls = new Map<ServiceName, number>();
  let clock = 9_000;
  const causes: InterruptionCause[] = [];
  /** How many probes of each service had run when the phase was interrupted. */
  let downAfter: Record<string, number> | undefined;
  const watch = watchStack({
    stack: undefined as never,
    services: (Object.keys(script) as ServiceName[]).map(serviceByName),
    startedAt: 0,
    now: () => (clock += 1_000),
    onDown: (cause) => {
      causes.push(cause);
      downAfter = Object.fromEntries(calls);
    },
    intervalMs: 1,
    probeTimeoutMs: TIMEOUT_MS,
    probe: async ([service]) => {
      const answers = script[service.name] ?? [];
      const call = calls.get(service.name) ?? 0;
      calls.set(service.name, call + 1);
      return [answers[Math.min(call, answers.length - 1)]];
    },
  });
  const settle = async (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));
  return { causes, watch, settle, calls, downAfter: () => downAfter };
}

describe('stack watch', () => {
  it('a store refused three probes in a row is down: named, timed from its first failure, with its fix; probing stops', async () => {
    const { causes, watch, settle, calls, downAfter } = watched({ redis: [ok('redis'), refused('redis')] });
    await settle();
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ reason: 'store-unreachable', store: 'redis', atMs: 11_000 });
    expect(causes[0].fix).toBe('redis is not running: `apex up --only redis`. Then `apex status`, and re-run the phase.');
    expect(causes[0].evidence.lines).toEqual(['redis: redis: connection refused on 127.0.0.1:1']);
    expect(downAfter()).toEqual({ redis: 4 });
    expect(calls.get('redis')).toBe(4);
    await watch.stop();
  });

  it('failed probes between good ones are not a dead store', async () => {
    const { causes, watch, settle } = watched({ redis: [refused('redis'), refused('redis'), ok('redis'), refused('redis'), refused('redis'), ok('redis')] });
    await settle();
    expect(causes).toEqual([]);
    await watch.stop();
  });

  it('a store only slow under load needs five probes without an answer; meanwhile a refusing one is named', async () => {
    const slowOnly = watched({ qdrant: [slow('qdrant')] });
    await slowOnly.settle();
    expect(slowOnly.causes).toMatchObject([{ reason: 'store-unreachable', store: 'qdrant' }]);
    expect(slowOnly.downAfter()).toEqual({ qdrant: 5 });
    await slowOnly.watch.stop();

    const both = watched({ qdrant: [ok('qdrant'), slow('qdrant')], redis: [ok('redis'), refused('redis')] });
    await both.settle();
    expect(both.causes).toMatchObject([{ reason: 'store-unreachable', store: 'redis' }]);
    await both.watch.stop();
  });

  it('several services refusing at once: the stack went down', async () => {
    const { causes, watch, settle } = watched({ temporal: [refused('temporal')], postgres: [refused('postgres')], redis: [refused('redis')] });
    await settle();
    expect(causes).toMatchObject([{ reason: 'stack-down', atMs: 10_000 }]);
    expect(causes[0].evidence.summary).toMatch(/^every service of the phase stopped answering: (temporal|postgres|redis), /);
    expect(causes[0].fix).toContain('`apex up`');
    await watch.stop();
  });

  it('stop() ends the probing', async () => {
    const { watch, settle, calls } = watched({ redis: [ok('redis')] });
    await settle(20);
    await watch.stop();
    const after = calls.get('redis');
    await settle(20);
    expect(calls.get('redis')).toBe(after);
    expect(after).toBeGreaterThan(0);
  });
});
