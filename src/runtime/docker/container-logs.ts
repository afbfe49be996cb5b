import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';

/**
 * Splits the engine's multiplexed log buffer (8-byte frame headers: stream type, 3 bytes padding, big-endian size)
 * into lines. Containers created without a TTY always use this format.
 */
export function demuxLogBuffer(buffer: Buffer): string[] {
  const chunks: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    chunks.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return chunks.join('').split('\n').filter((line) => line.length > 0);
}

export async function lastLogLines(container: Docker.Container, lines: number): Promise<string[]> {
  const buffer = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as Buffer;
  return demuxLogBuffer(buffer);
}

export interface LogStreamOptions {
  follow: boolean;
  tail?: number;
  /** Unix seconds. */
  since?: number;
}

/** stdout and stderr of one container as one readable text stream. */
export async function containerLogStream(docker: Docker, container: Docker.Container, options: LogStreamOptions): Promise<Readable> {
  const output = new PassThrough();
  const base = { stdout: true, stderr: true, tail: options.tail, since: options.since ?? 0 };
  if (!options.follow) {
    const buffer = await container.logs({ ...base, follow: false });
    output.end(demuxLogBuffer(buffer).map((line) => `${line}\n`).join(''));
    return output;
  }
  const raw = await container.logs({ ...base, follow: true });
  docker.modem.demuxStream(raw, output, output);
  raw.on('end', () => output.end());
  return output;
}
