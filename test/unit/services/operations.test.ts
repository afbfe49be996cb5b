import { describe, expect, it } from 'vitest';
import { withResource } from '../../../src/services/operations.js';

const tracked = () => {
  const events: string[] = [];
  return { events, open: () => (events.push('open'), { id: 1 }), close: () => void events.push('close') };
};

describe('withResource', () => {
  it('closes once after the work succeeds, and returns its value', async () => {
    const { events, open, close } = tracked();
    expect(await withResource(new AbortController().signal, open, close, async () => 42)).toBe(42);
    expect(events).toEqual(['open', 'close']);
  });

  it('closes once when the work fails, and rethrows', async () => {
    const { events, open, close } = tracked();
    await expect(
      withResource(new AbortController().signal, open, close, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(events).toEqual(['open', 'close']);
  });

  it('closes at once when aborted mid-work (so a timed-out probe does not hold its socket), never twice', async () => {
    const { events, open, close } = tracked();
    const controller = new AbortController();
    let release: () => void = () => undefined;
    const work = withResource(controller.signal, open, close, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['open', 'close']);
    release();
    await work;
    expect(events).toEqual(['open', 'close']);
  });

  it('closes and refuses to start when the signal was aborted while opening', async () => {
    const { events, close } = tracked();
    const controller = new AbortController();
    const reason = new Error('too late');
    const opening = withResource(
      controller.signal,
      async () => (controller.abort(reason), events.push('open'), { id: 1 }),
      close,
      async () => events.push('used'),
    );
    await expect(opening).rejects.toBe(reason);
    expect(events).toEqual(['open', 'close']);
  });
});
