import { describe, expect, it } from 'vitest';
import { LEFTOVER_AGE_MS, selectLeftovers, sweepEphemeralLeftovers, type EphemeralResource } from '../../../src/runtime/ephemeral-leftovers.js';
import { LABELS } from '../../../src/runtime/labels.js';
import { FakeEngine } from '../../support/fake-engine.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const LIVE_PID = 100;

const resource = (id: string, project: string, ageMs: number, pid?: string): EphemeralResource => ({
  id,
  createdMs: NOW - ageMs,
  labels: { [LABELS.composeProject]: project, ...(pid === undefined ? {} : { [LABELS.ephemeralOwnerPid]: pid }) },
});

describe('selectLeftovers', () => {
  const isAlive = (pid: number) => pid === LIVE_PID;

  it("keeps a live run's fresh resources and selects those of a dead owner", () => {
    const resources = [resource('live', 'apex-ephemeral-aaaa', 60_000, String(LIVE_PID)), resource('dead', 'apex-ephemeral-bbbb', 60_000, '200')];
    expect(selectLeftovers(resources, NOW, isAlive)).toEqual(['dead']);
  });

  it('selects anything older than the age limit, even with a live owner (pids are reused)', () => {
    const resources = [
      resource('young', 'apex-ephemeral-aaaa', LEFTOVER_AGE_MS - 1, String(LIVE_PID)),
      resource('old', 'apex-ephemeral-bbbb', LEFTOVER_AGE_MS + 1, String(LIVE_PID)),
    ];
    expect(selectLeftovers(resources, NOW, isAlive)).toEqual(['old']);
  });

  it('selects ephemeral resources without a usable owner pid', () => {
    const resources = [
      resource('none', 'apex-ephemeral-aaaa', 0),
      resource('garbage', 'apex-ephemeral-bbbb', 0, 'x'),
      resource('zero', 'apex-ephemeral-cccc', 0, '0'),
    ];
    expect(selectLeftovers(resources, NOW, isAlive)).toEqual(['none', 'garbage', 'zero']);
  });

  it("never selects the developer's stack or another project, however old or ownerless", () => {
    const resources = [
      resource('dev', 'apex', LEFTOVER_AGE_MS * 10),
      resource('e2e', 'apex-e2e123', LEFTOVER_AGE_MS * 10, '200'),
      { id: 'unlabelled', createdMs: 0, labels: {} },
    ];
    expect(selectLeftovers(resources, NOW, isAlive)).toEqual([]);
  });
});

describe('sweepEphemeralLeftovers', () => {
  it("removes a dead run's containers and network from the engine and keeps a live run's", async () => {
    const engine = new FakeEngine(() => NOW);
    const labels = (project: string, pid: number) => ({ [LABELS.composeProject]: project, [LABELS.ephemeralOwnerPid]: String(pid) });
    engine.addContainer({ name: 'live-redis', labels: labels('apex-ephemeral-aaaa', process.pid) });
    engine.addContainer({ name: 'dead-redis', labels: labels('apex-ephemeral-bbbb', 0) });
    engine.addContainer({ name: 'someone-else', labels: { [LABELS.composeProject]: 'apex' } });
    await engine.networks.create({ name: 'apex-ephemeral-aaaa_default', labels: labels('apex-ephemeral-aaaa', process.pid) });
    await engine.networks.create({ name: 'apex-ephemeral-bbbb_default', labels: labels('apex-ephemeral-bbbb', 0) });
    expect(await sweepEphemeralLeftovers(engine, NOW)).toBe(2);
    expect([...engine.containers.all.values()].map((container) => container.name)).toEqual(['live-redis', 'someone-else']);
    expect([...engine.networks.all.values()].map((network) => network.name)).toEqual(['apex-ephemeral-aaaa_default']);
  });
});
