import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import { describe, expect, it, vi } from 'vitest';
import { demuxLogBuffer, dockerodeEngine } from '../../../../src/runtime/docker/dockerode-engine.js';
import type { PullEvent } from '../../../../src/runtime/docker/engine-client.js';
import { ensureImage } from '../../../../src/runtime/docker/images.js';
import { silentProgress } from '../../../../src/ui/progress.js';

/** dockerode with its real modem, whose pull answers these events as the engine streams them (one JSON per line). */
function dockerPulling(events: object[]): Dockerode {
  const docker = new Dockerode({ socketPath: '/nonexistent.sock' });
  const stream = new PassThrough();
  stream.end(events.map((event) => `${JSON.stringify(event)}\r\n`).join(''));
  vi.spyOn(docker, 'pull').mockResolvedValue(stream);
  return docker;
}

describe('dockerode engine: images.pull', () => {
  it('passes every progress event on and resolves at the end of the stream', async () => {
    const events = [
      { status: 'Pulling from library/redis', id: '7' },
      { status: 'Downloading', id: 'a', progressDetail: { current: 1, total: 4 } },
    ];
    const seen: PullEvent[] = [];
    await dockerodeEngine(dockerPulling(events)).images.pull('redis:7', (event) => seen.push(event));
    expect(seen).toEqual(events);
  });

  it('rejects with an error that arrives inside the pull stream, which ensureImage reports as IMAGE_MISSING', async () => {
    const images = dockerodeEngine(dockerPulling([{ error: 'manifest for redis:99 not found: manifest unknown' }])).images;
    vi.spyOn(images, 'exists').mockResolvedValue(false);
    await expect(ensureImage(images, 'redis:99', 'redis', silentProgress)).rejects.toThrow(
      'Image redis:99 for redis is not on this machine and could not be pulled: manifest for redis:99 not found: manifest unknown.',
    );
  });
});

describe('demuxLogBuffer', () => {
  const frame = (stream: 1 | 2, text: string): Buffer => {
    const header = Buffer.alloc(8);
    header.writeUInt8(stream, 0);
    header.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([header, Buffer.from(text)]);
  };

  it('joins stdout and stderr frames into lines, a line split across frames included', () => {
    expect(demuxLogBuffer(Buffer.concat([frame(1, 'ready to '), frame(1, 'accept\n'), frame(2, 'warning: x\n')]))).toEqual(['ready to accept', 'warning: x']);
  });
});
