import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPortAllocator, ephemeralPortRange, isPortFree } from '../../../src/runtime/ports.js';

describe('port allocation', () => {
  it('reads the kernel ephemeral port range', () => {
    const proc = mkdtempSync(join(tmpdir(), 'apex-proc-'));
    mkdirSync(join(proc, 'sys/net/ipv4'), { recursive: true });
    writeFileSync(join(proc, 'sys/net/ipv4/ip_local_port_range'), '32768\t60999\n');
    expect(ephemeralPortRange(proc)).toEqual({ low: 32768, high: 60999 });
    expect(ephemeralPortRange(join(proc, 'missing'))).toBeUndefined();
  });

  it('hands out distinct free ports below the ephemeral range', async () => {
    const allocator = createPortAllocator();
    const ports = await Promise.all(Array.from({ length: 20 }, () => allocator.freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeLessThan(ephemeralPortRange()?.low ?? 32_768);
      expect(await isPortFree('127.0.0.1', port)).toBe(true);
    }
  });
});
