import { describe, expect, it } from 'vitest';
import { ApexError } from '../../../../src/errors.js';
import type { PullEvent } from '../../../../src/runtime/docker/engine-client.js';
import { ensureImage } from '../../../../src/runtime/docker/images.js';
import type { Progress } from '../../../../src/ui/progress.js';
import { FakeEngine } from '../../../support/fake-engine.js';

function fakeImages(options: { present: boolean; pullEvents?: PullEvent[]; pullError?: Error }): FakeEngine['images'] {
  const engine = new FakeEngine();
  if (options.present) engine.images.local.add('redis:7');
  engine.images.pullEvents.push(...(options.pullEvents ?? []));
  if (options.pullError) engine.failNext('images.pull', options.pullError);
  return engine.images;
}

function recordingProgress(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    step: (message) => lines.push(`step ${message}`),
    done: (message) => lines.push(`done ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    transient: (message) => lines.push(`transient ${message}`),
  };
}

describe('ensureImage', () => {
  it('leaves a local image alone', async () => {
    const progress = recordingProgress();
    expect(await ensureImage(fakeImages({ present: true }), 'redis:7', 'redis', progress)).toBe('present');
    expect(progress.lines).toEqual([]);
  });

  it('pulls a missing image, showing the bytes of every layer', async () => {
    const progress = recordingProgress();
    const pullEvents = [
      { status: 'Pulling from library/redis', id: '7' },
      { status: 'Downloading', id: 'a', progressDetail: { current: 1_048_576, total: 4_194_304 } },
      { status: 'Downloading', id: 'b', progressDetail: { current: 2_097_152, total: 2_097_152 } },
      { status: 'Status: Downloaded newer image for redis:7' },
    ];
    expect(await ensureImage(fakeImages({ present: false, pullEvents }), 'redis:7', 'redis', progress)).toBe('pulled');
    expect(progress.lines).toEqual([
      'step Pulling redis:7 for redis',
      'transient   redis:7: 1.0 / 4.0 MB',
      'transient   redis:7: 3.0 / 6.0 MB',
      'done Pulled redis:7',
    ]);
  });

  it('turns a failed pull (no registry) into IMAGE_MISSING with both fixes', async () => {
    const pullError = new Error('(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host');
    const error = await ensureImage(fakeImages({ present: false, pullError }), 'redis:7', 'redis', recordingProgress()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApexError);
    expect((error as ApexError).code).toBe('IMAGE_MISSING');
    expect((error as ApexError).message).toContain('no such host');
    expect((error as ApexError).fix).toContain('services.redis.image');
  });
});
