import { describe, expect, it } from 'vitest';
import { startNativeProcess } from '../../../src/observability/native-process.js';
import { createPortAllocator } from '../../../src/runtime/ports.js';

const { freePort } = createPortAllocator();

const server = (port: number): string[] => [
  '-e',
  `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('serving on ${port}'))`,
];

describe('startNativeProcess', () => {
  it('returns once the binary serves its ready URL, and stop takes it down', async () => {
    const port = await freePort();
    const running = await startNativeProcess({
      name: 'stand-in',
      binary: process.execPath,
      args: server(port),
      readyUrl: `http://127.0.0.1:${port}/`,
      readyTimeoutMs: 10_000,
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    await running.stop();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('reports a binary that exits, with its last output lines', async () => {
    const start = startNativeProcess({
      name: 'stand-in',
      binary: process.execPath,
      args: ['-e', "console.error('bad flag --storage.tsdb'); process.exit(2)"],
      readyUrl: 'http://127.0.0.1:1/',
      readyTimeoutMs: 10_000,
    });
    await expect(start).rejects.toThrow(`stand-in (${process.execPath}) exited; last lines:\nbad flag --storage.tsdb`);
  });

  it('stops a binary that does not serve within the timeout', async () => {
    const start = startNativeProcess({
      name: 'stand-in',
      binary: process.execPath,
      args: ['-e', "console.log('starting'); setInterval(() => {}, 1000)"],
      readyUrl: 'http://127.0.0.1:1/',
      readyTimeoutMs: 1_000,
    });
    await expect(start).rejects.toThrow(/stand-in \(.*\) did not answer http:\/\/127\.0\.0\.1:1\/ within 1000 ms; last lines:\nstarting/);
  });
});
