import { readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ApexError } from '../errors.js';
import { pollUntil, systemClock, type Clock } from './poll.js';

/** The lock directory (created atomically by proper-lockfile) and its owner, beside the project's .env. */
export const LOCK_DIR = '.apex.lock';
export const LOCK_OWNER_FILE = '.apex.lock.json';

/** Who holds a project's lock: what a waiting command tells its user. */
export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  startedMs: number;
}

export interface ProjectLockOptions {
  /** The command that takes the lock, as a user types it: `apex up`, `apex down`, `apex reset`, `apex test phase`. */
  command: string;
  /** Said once per holder while this command waits for it (and when it runs beside one). */
  onWait: (message: string) => void;
  /** How long to wait for the holder before giving up; 10 minutes by default. */
  waitMs?: number;
  clock?: Clock;
  /** Commands this one runs beside without the lock: `apex down` stops the stack under a running `apex test phase`. */
  runsBeside?: readonly string[];
}

const WAIT_MS = 10 * 60_000;
/** A folder apex cannot write to cannot hold the lock; the command still runs (`apex down`, `apex test phase`). */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
const POLL_MS = 500;
/** The holder refreshes the lock's mtime every UPDATE_MS; a lock older than STALE_MS is a crashed holder's. */
const STALE_MS = 20_000;
const UPDATE_MS = 5_000;

/**
 * Runs `action` holding the project's lock, so that a second `up`, `down`, `reset` or `test phase` on the same folder
 * waits for the first instead of racing it. The lock goes when the action ends, throws, or the process exits; a
 * holder that died (its pid is gone on this host, or it stopped refreshing the lock) is taken over. A lock this
 * process already holds (`apex reset --hard` runs `apex up`) is entered again.
 */
export async function withProjectLock<T>(projectDir: string, options: ProjectLockOptions, action: () => Promise<T>): Promise<T> {
  const lockDir = join(projectDir, LOCK_DIR);
  const ownerFile = join(projectDir, LOCK_OWNER_FILE);
  const clock = options.clock ?? systemClock;
  const waitMs = options.waitMs ?? WAIT_MS;
  const started = clock.now();
  let toldAbout: number | undefined;
  let beside: LockOwner | undefined;
  let owner: LockOwner | undefined;

  const release = await pollUntil(
    async () => {
      try {
        return await lockfile.lock(projectDir, {
          lockfilePath: lockDir,
          realpath: false,
          stale: STALE_MS,
          update: UPDATE_MS,
          onCompromised: () => options.onWait(`The lock on ${projectDir} was taken over by another apex command while \`${options.command}\` ran.`),
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code && UNWRITABLE.has(code)) return 'unlockable' as const;
        if (code !== 'ELOCKED') throw error;
      }
      owner = readOwner(ownerFile);
      if (owner?.pid === process.pid && owner.host === hostname()) return 'reentered' as const;
      if (owner && options.runsBeside?.includes(owner.command)) {
        beside = owner;
        return 'beside' as const;
      }
      if (owner && owner.host === hostname() && !isAlive(owner.pid)) {
        // A crashed holder: age its lock so that proper-lockfile takes it over on the next attempt, not in 20 s.
        utimesSync(lockDir, 0, 0);
        return undefined;
      }
      if (toldAbout !== (owner?.pid ?? 0)) {
        toldAbout = owner?.pid ?? 0;
        options.onWait(
          `Waiting for ${describeOwner(owner, clock.now())} on ${projectDir} to finish (up to ${Math.round(waitMs / 60_000)} min; Ctrl-C stops waiting)…`,
        );
      }
      return undefined;
    },
    { clock, intervalMs: POLL_MS, timeoutMs: waitMs },
  );

  if (release === undefined) {
    throw new ApexError(
      'PROJECT_BUSY',
      `${describeOwner(owner, clock.now())} still holds ${projectDir} after \`${options.command}\` waited ${Math.round((clock.now() - started) / 1000)} s.`,
      `Let it finish and run \`${options.command}\` again${owner ? `, or stop it first (\`kill ${owner.pid}\`)` : ''}.`,
      1,
    );
  }
  if (release === 'reentered') return action();
  if (release === 'unlockable') {
    options.onWait(`${projectDir} is read-only: \`${options.command}\` runs without the project's lock, so another apex command there is not held back.`);
    return action();
  }
  if (release === 'beside') {
    options.onWait(`${describeOwner(beside, clock.now())} is running on ${projectDir}; \`${options.command}\` goes ahead and that command stops.`);
    return action();
  }
  writeOwner(ownerFile, { pid: process.pid, host: hostname(), command: options.command, startedMs: Date.now() });
  // proper-lockfile removes the lock directory when the process exits (process.exit, Ctrl-C); the owner file goes too.
  const removeOwner = (): void => rmSync(ownerFile, { force: true });
  process.once('exit', removeOwner);
  try {
    return await action();
  } finally {
    process.removeListener('exit', removeOwner);
    removeOwner();
    await release().catch(() => undefined);
  }
}

function describeOwner(owner: LockOwner | undefined, nowMs: number): string {
  if (!owner) return 'another apex command';
  const ago = Math.max(0, Math.round((nowMs - owner.startedMs) / 1000));
  return `\`${owner.command}\` (pid ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}) started ${ago} s ago`;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    // Not written yet (the holder is between taking the lock and saying who it is), or removed on release.
    return undefined;
  }
}

function writeOwner(path: string, owner: LockOwner): void {
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(owner)}\n`);
  renameSync(temporary, path);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}
