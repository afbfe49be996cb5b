import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ApexError } from '../../../src/errors.js';
import { LOCK_DIR, LOCK_OWNER_FILE, withProjectLock, type LockOwner } from '../../../src/runtime/project-lock.js';

const LOCK_MODULE = fileURLToPath(new URL('../../../src/runtime/project-lock.ts', import.meta.url));

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A running process that is not this one, to stand for another apex command. */
function liveProcess(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** The lock as another command on this host leaves it while it runs: the lock directory and its owner file. */
function heldBy(dir: string, owner: Partial<LockOwner> & Pick<LockOwner, 'pid'>): void {
  mkdirSync(join(dir, LOCK_DIR));
  writeFileSync(join(dir, LOCK_OWNER_FILE), JSON.stringify({ host: hostname(), command: 'apex up', startedMs: Date.now() - 3_000, ...owner }));
}

const ownerNow = (dir: string): LockOwner => JSON.parse(readFileSync(join(dir, LOCK_OWNER_FILE), 'utf8')) as LockOwner;
const projectDir = (): string => mkdtempSync(join(tmpdir(), 'apex-lock-'));

describe('withProjectLock', () => {
  it('holds the lock with its pid and command while the action runs, and releases it afterwards', async () => {
    const dir = projectDir();
    const seen = await withProjectLock(dir, { command: 'apex up', onWait: () => undefined }, async () => ({
      locked: existsSync(join(dir, LOCK_DIR)),
      owner: ownerNow(dir),
    }));
    expect(seen.locked).toBe(true);
    expect(seen.owner).toMatchObject({ pid: process.pid, command: 'apex up', host: hostname() });
    expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
    expect(existsSync(join(dir, LOCK_OWNER_FILE))).toBe(false);
  });

  it('waits for a live holder, saying which command, pid and since when, then goes ahead once it is released', async () => {
    const dir = projectDir();
    const pid = liveProcess();
    heldBy(dir, { pid });
    const messages: string[] = [];
    const started = Date.now();
    setTimeout(() => spawnSync('rm', ['-rf', join(dir, LOCK_DIR), join(dir, LOCK_OWNER_FILE)]), 1_200);
    const ran = await withProjectLock(dir, { command: 'apex up', onWait: (message) => messages.push(message) }, async () => ownerNow(dir).pid);
    expect(ran).toBe(process.pid);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
    expect(messages).toEqual([expect.stringMatching(new RegExp(`^Waiting for \`apex up\` \\(pid ${pid}\\) started 3 s ago on .+ to finish`))]);
  });

  it('takes over at once a lock whose holder died (its pid is gone)', async () => {
    const dir = projectDir();
    const dead = spawnSync('true').pid;
    heldBy(dir, { pid: dead, command: 'apex test phase' });
    const messages: string[] = [];
    const started = Date.now();
    const owner = await withProjectLock(dir, { command: 'apex reset', onWait: (message) => messages.push(message) }, async () => ownerNow(dir));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(owner).toMatchObject({ pid: process.pid, command: 'apex reset' });
    expect(messages).toEqual([]);
    expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
  });

  it('gives up after the bound with PROJECT_BUSY, naming the holder and how to stop it', async () => {
    const dir = projectDir();
    const pid = liveProcess();
    heldBy(dir, { pid, command: 'apex test phase' });
    let ran = false;
    const error = await withProjectLock(dir, { command: 'apex up', onWait: () => undefined, waitMs: 700 }, async () => {
      ran = true;
    }).catch((caught: unknown) => caught);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(ApexError);
    expect(error).toMatchObject({ code: 'PROJECT_BUSY', exitCode: 1 });
    expect((error as ApexError).message).toContain(`\`apex test phase\` (pid ${pid})`);
    expect((error as ApexError).fix).toContain(`kill ${pid}`);
    expect(existsSync(join(dir, LOCK_DIR))).toBe(true);
  });

  it('releases the lock when the action throws, and rethrows', async () => {
    const dir = projectDir();
    const failure = new Error('engine went away');
    await expect(
      withProjectLock(dir, { command: 'apex up', onWait: () => undefined }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
    const messages: string[] = [];
    expect(await withProjectLock(dir, { command: 'apex down', onWait: (message) => messages.push(message) }, async () => 'next')).toBe('next');
    expect(messages).toEqual([]);
  });

  it('releases the lock when the process exits while holding it', () => {
    const dir = projectDir();
    const script = [
      `import { existsSync } from 'node:fs';`,
      `import { withProjectLock } from ${JSON.stringify(LOCK_MODULE)};`,
      `await withProjectLock(${JSON.stringify(dir)}, { command: 'apex up', onWait: () => undefined }, async () => {`,
      `  console.log(existsSync(${JSON.stringify(join(dir, LOCK_DIR))}) ? 'held' : 'not held');`,
      `  process.exit(3);`,
      `});`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stdout.trim(), child.stderr).toBe('held');
    expect(child.status).toBe(3);
    expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
    expect(existsSync(join(dir, LOCK_OWNER_FILE))).toBe(false);
  });

  it('enters a lock this process already holds (reset --hard runs up)', async () => {
    const dir = projectDir();
    const inner = await withProjectLock(dir, { command: 'apex reset', onWait: () => undefined }, () =>
      withProjectLock(dir, { command: 'apex up', onWait: () => undefined, waitMs: 500 }, async () => ownerNow(dir).command),
    );
    expect(inner).toBe('apex reset');
  });

  it('runs beside a command it does not wait for, and says so (down during a test phase)', async () => {
    const dir = projectDir();
    const pid = liveProcess();
    heldBy(dir, { pid, command: 'apex test phase' });
    const messages: string[] = [];
    const started = Date.now();
    const result = await withProjectLock(
      dir,
      { command: 'apex down', onWait: (message) => messages.push(message), runsBeside: ['apex test phase'] },
      async () => 'removed',
    );
    expect(result).toBe('removed');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(messages).toEqual([expect.stringContaining(`\`apex test phase\` (pid ${pid}) started 3 s ago is running`)]);
    expect(ownerNow(dir).pid).toBe(pid);
  });

  it('runs without the lock, and says so, in a folder it cannot write to (/sys: not even root may create a directory there)', async () => {
    const messages: string[] = [];
    expect(await withProjectLock('/sys', { command: 'apex down', onWait: (message) => messages.push(message) }, async () => 'removed')).toBe('removed');
    expect(messages).toEqual(["/sys is read-only: `apex down` runs without the project's lock, so another apex command there is not held back."]);
  });
});
