import { describe, expect, it } from 'vitest';
import { assertPreflight } from '../../../src/doctor/doctor.js';
import { dockerUnreachable } from '../../../src/runtime/docker/engine.js';
import { imageMissing } from '../../../src/runtime/docker/images.js';
import { parseSince } from '../../../src/stack/logs.js';
import { thrown } from '../../support/thrown.js';

describe('error messages users will hit', () => {
  it('image missing with no registry: says which image and both ways out', () => {
    const error = imageMissing(
      'postgres:16-alpine',
      'postgres',
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\nmore',
    );
    expect(error.code).toBe('IMAGE_MISSING');
    expect(error.message).toBe(
      'Image postgres:16-alpine for postgres is not on this machine and could not be pulled: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host.',
    );
    expect(error.fix).toBe(
      'Check registry access (`docker pull postgres:16-alpine`), or build/load an image locally and set `services.postgres.image: <local image>` in apex.config.yaml.',
    );
  });

  it('docker unreachable: names the address, where it came from, and how to start docker', () => {
    const error = dockerUnreachable({ uri: 'unix:///var/run/docker.sock', source: 'default socket', options: {} }, 'connect ECONNREFUSED');
    expect(error.message).toBe('Docker is not running or not reachable at unix:///var/run/docker.sock (default socket): connect ECONNREFUSED.');
    expect(error.fix).toMatch(/sudo systemctl start docker.*DOCKER_HOST.*runtime: external/);
    expect(error.exitCode).toBe(1);
  });

  it('preflight: the first failure is the error, the others are listed, and nothing was created', () => {
    const error = thrown(() =>
      assertPreflight([
        { check: 'memory', subject: 'x', status: 'ok', message: 'fine' },
        {
          check: 'port',
          subject: 'postgres 127.0.0.1:5432',
          status: 'fail',
          message: 'Port 5432 (postgres postgres) on 127.0.0.1 is already in use by process 7 (postgres).',
          fix: 'Stop that process.',
        },
        { check: 'port', subject: 'redis 127.0.0.1:6379', status: 'fail', message: 'Port 6379 taken.', fix: 'Move redis.' },
      ]),
    );
    expect(error.code).toBe('PORT_IN_USE');
    expect(error.message).toBe('Port 5432 (postgres postgres) on 127.0.0.1 is already in use by process 7 (postgres). Nothing was created.');
    expect(error.fix).toBe('Stop that process.');
    expect(error.details).toEqual(['Port 6379 taken. Fix: Move redis.']);
  });

  it('preflight passes when nothing failed', () => {
    expect(() => assertPreflight([{ check: 'disk', subject: '/', status: 'warn', message: 'low', fix: 'prune' }])).not.toThrow();
  });

  it('logs --since: durations, unix seconds and dates; anything else is a usage error', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(parseSince('10m', now)).toBe(now / 1000 - 600);
    expect(parseSince('2h', now)).toBe(now / 1000 - 7200);
    expect(parseSince('1767268800', now)).toBe(1767268800);
    expect(parseSince('2026-01-01T11:00:00Z', now)).toBe(now / 1000 - 3600);
    const error = thrown(() => parseSince('yesterday-ish', now));
    expect(error.exitCode).toBe(2);
    expect(error.fix).toContain('--since 10m');
  });
});
