import { describe, expect, it } from 'vitest';
import { LEFTOVER_AGE_MS, selectLeftovers, type EphemeralResource } from '../../../src/runtime/ephemeral-leftovers.js';
import { LABELS } from '../../../src/runtime/labels.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const LIVE_PID = 100;

const resource = (id: string, project: string, ageMs: number, pid?: string): EphemeralResource => ({
  id,
  createdMs: NOW - ageMs,
  labels: { [LABELS.composeProject]: project, ...(pid === undefined ? {} : { [LABELS.ephemeralOwnerPid]: pid }) },
});

describe('selectLeftovers', () => {
  const isAlive = (pid: number) => pid === LIVE_PID;

  it('keeps a live run\'s fresh resources and selects those of a dead owner', () => {
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
    const resources = [resource('none', 'apex-ephemeral-aaaa', 0), resource('garbage', 'apex-ephemeral-bbbb', 0, 'x'), resource('zero', 'apex-ephemeral-cccc', 0, '0')];
    expect(selectLeftovers(resources, NOW, isAlive)).toEqual(['none', 'garbage', 'zero']);
  });

  it('never selects the developer\'s stack or another project, however old or ownerless', () => {
    const resources = [resource('dev', 'apex', LEFTOVER_AGE_MS * 10), resource('e2e', 'apex-e2e123', LEFTOVER_AGE_MS * 10, '200'), { id: 'unlabelled', createdMs: 0, labels: {} }];
    expect(selectLeftovers(resources, NOW, isAlive)).toEqual([]);
  });
});
