import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
}

export interface ProcessHolder {
  pid: number;
  command: string;
}

const LISTEN = '0A';

/** Parses /proc/net/tcp or /proc/net/tcp6: the sockets in LISTEN state, with their inode. */
export function parseProcNetTcp(text: string): ListeningSocket[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length > 9 && fields[3] === LISTEN)
    .map((fields) => {
      const [hexAddress, hexPort] = fields[1].split(':');
      return { address: decodeAddress(hexAddress), port: parseInt(hexPort, 16), inode: Number(fields[9]) };
    });
}

/** Kernel order: each 32-bit word little-endian. */
function decodeAddress(hex: string): string {
  const bytes = (hex.match(/../g) ?? []).map((byte) => parseInt(byte, 16));
  const words: number[][] = [];
  for (let index = 0; index < bytes.length; index += 4) words.push(bytes.slice(index, index + 4).reverse());
  const ordered = words.flat();
  if (ordered.length === 4) return ordered.join('.');
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((ordered[index] << 8) | ordered[index + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** The process listening on a TCP port, found through /proc (Linux only; undefined elsewhere or without permission). */
export function processListeningOn(port: number, proc = '/proc'): ProcessHolder | undefined {
  const inodes = new Set<number>();
  for (const file of ['net/tcp', 'net/tcp6']) {
    try {
      parseProcNetTcp(readFileSync(join(proc, file), 'utf8'))
        .filter((socket) => socket.port === port)
        .forEach((socket) => inodes.add(socket.inode));
    } catch {
      // No /proc (macOS): the holder stays unnamed.
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of safeReaddir(proc).filter((entry) => /^\d+$/.test(entry))) {
    const fdDir = join(proc, pid, 'fd');
    for (const fd of safeReaddir(fdDir)) {
      const target = safeReadlink(join(fdDir, fd));
      const inode = target?.match(/^socket:\[(\d+)\]$/)?.[1];
      if (inode && inodes.has(Number(inode))) return { pid: Number(pid), command: commandOf(proc, pid) };
    }
  }
  return undefined;
}

function commandOf(proc: string, pid: string): string {
  try {
    const argv = readFileSync(join(proc, pid, 'cmdline'), 'utf8')
      .split('\0')
      .filter(Boolean);
    if (argv.length > 0) return argv.join(' ').slice(0, 120);
  } catch {
    // Fall through to comm.
  }
  try {
    return readFileSync(join(proc, pid, 'comm'), 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

const safeReaddir = (path: string): string[] => {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
};

const safeReadlink = (path: string): string | undefined => {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
};
