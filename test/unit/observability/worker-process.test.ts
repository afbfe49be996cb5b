import { describe, expect, it } from 'vitest';
import { createPortAllocator } from '../../../src/runtime/ports.js';
import { createWorkerProcess } from '../../../src/observability/worker-process.js';

const { freePort } = createPortAllocator();

/** A stand-in worker: serves SDK-style metrics with pollers on its queue, like `apex worker` once it polls. */
const fakeWorker = (port: number, taskQueue: string): string[] => [
  process.execPath,
  '-e',
  `require('node:http').createServer((q, s) => s.end('# TYPE temporal_num_pollers gauge\\ntemporal_num_pollers{task_queue="${taskQueue}"} 2\\n')).listen(${port}, '127.0.0.1', () => console.log('polling'))`,
];

describe('createWorkerProcess', () => {
  it('starts once the worker polls its queue, and a kill takes its metrics endpoint down', async () => {
    const port = await freePort();
    const worker = createWorkerProcess({
      command: fakeWorker(port, 'q1'),
      cwd: process.cwd(),
      metricsAddress: `127.0.0.1:${port}`,
      taskQueue: 'q1',
      readyTimeoutMs: 10_000,
    });
    await worker.start();
    expect(worker.running).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).ok).toBe(true);
    await worker.kill();
    expect(worker.running).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    await worker.start();
    expect(worker.logTail()).toEqual(['polling', 'polling']);
    await worker.kill();
  });

  it('reports a worker that exits with its last output lines', async () => {
    const worker = createWorkerProcess({
      command: [process.execPath, '-e', "console.error('cannot reach Temporal at 127.0.0.1:7233'); process.exit(1)"],
      cwd: process.cwd(),
      metricsAddress: '127.0.0.1:1',
      taskQueue: 'q',
      readyTimeoutMs: 10_000,
    });
    await expect(worker.start()).rejects.toThrow(/exited; last lines:\ncannot reach Temporal at 127.0.0.1:7233/);
  });

  it('reports a worker that never polls its queue', async () => {
    const port = await freePort();
    const worker = createWorkerProcess({
      command: fakeWorker(port, 'other-queue'),
      cwd: process.cwd(),
      metricsAddress: `127.0.0.1:${port}`,
      taskQueue: 'q',
      readyTimeoutMs: 1_500,
    });
    await expect(worker.start()).rejects.toThrow(/did not poll q with metrics on 127\.0\.0\.1:\d+ within 1500 ms/);
    expect(worker.running).toBe(false);
  });
});
