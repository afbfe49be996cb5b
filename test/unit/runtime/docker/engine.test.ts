import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApexError } from '../../../../src/errors.js';
import { currentDockerContext } from '../../../../src/runtime/docker/docker-context.js';
import { connectDocker } from '../../../../src/runtime/docker/engine.js';

function dockerConfigDir(currentContext: string | undefined, contexts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-docker-config-'));
  if (currentContext) writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext }));
  for (const [name, host] of Object.entries(contexts)) {
    const metaDir = join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }));
  }
  return dir;
}

describe('docker context', () => {
  it('reads the current context from config.json, as the docker CLI does', () => {
    const dir = dockerConfigDir('colima', { colima: 'unix:///Users/me/.colima/default/docker.sock' });
    expect(currentDockerContext({ DOCKER_CONFIG: dir }, '/nonexistent')).toEqual({ name: 'colima', host: 'unix:///Users/me/.colima/default/docker.sock' });
  });

  it('lets DOCKER_CONTEXT override config.json', () => {
    const dir = dockerConfigDir('colima', { colima: 'unix:///a.sock', orbstack: 'unix:///b.sock' });
    expect(currentDockerContext({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'orbstack' }, '/nonexistent')?.host).toBe('unix:///b.sock');
  });

  it('treats the default context, or no config, as "use the default socket"', () => {
    expect(currentDockerContext({ DOCKER_CONFIG: dockerConfigDir('default', {}) }, '/nonexistent')).toBeUndefined();
    expect(currentDockerContext({}, mkdtempSync(join(tmpdir(), 'apex-home-')))).toBeUndefined();
  });
});

describe('connectDocker', () => {
  it('answers "Docker is not running" in well under a second, naming the address and the fix', async () => {
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const started = performance.now();
    try {
      const error = await connectDocker().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ApexError);
      expect((error as ApexError).code).toBe('DOCKER_UNREACHABLE');
      expect((error as ApexError).message).toBe(
        'Docker is not running or not reachable at unix:///nonexistent/docker.sock (DOCKER_HOST): /nonexistent/docker.sock does not exist.',
      );
      expect((error as ApexError).fix).toContain('sudo systemctl start docker');
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
  });
});
