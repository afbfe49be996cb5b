import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { parseDuration } from '../config/duration.js';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { ApexError, usageError } from '../errors.js';
import { DockerStack } from '../runtime/docker/docker-stack.js';
import { connectDocker } from '../runtime/docker/engine.js';
import { serviceByName } from '../services/catalog.js';

export interface LogsOptions {
  service?: string;
  follow: boolean;
  /** "10m", "2h", "30s", an ISO date, or unix seconds. */
  since?: string;
  tail?: number;
}

/** Converts --since into unix seconds. */
export function parseSince(since: string, now: number = Date.now()): number {
  const ago = parseDuration(since, ['s', 'm', 'h', 'd']);
  if (ago !== undefined) return Math.floor((now - ago) / 1000);
  if (/^\d+$/.test(since)) return Number(since);
  const date = Date.parse(since);
  if (Number.isNaN(date))
    throw usageError(`--since ${since} is not a duration or a date.`, 'Use e.g. --since 10m, --since 2h or --since 2026-01-31T12:00:00Z.');
  return Math.floor(date / 1000);
}

/** Streams one service's logs, or every service's prefixed with its name, to `out`. */
export async function streamLogs(loadOptions: LoadOptions, options: LogsOptions, out: Writable): Promise<void> {
  // Config only: removing or reading containers needs no credentials (a lost .env must not block teardown).
  const { config } = loadConfig(loadOptions);
  if (config.runtime === 'external') throw usageError('runtime is external: apex has no containers to read logs from.', "Read your servers' own logs.");
  const service = options.service ? serviceByName(options.service).name : undefined;
  const engine = await connectDocker();
  const containers = await new DockerStack(engine.client, config.project).containers();
  const chosen = [...containers.entries()].filter(([name]) => !service || name === service);
  if (chosen.length === 0) {
    throw new ApexError(
      'NOT_RUNNING',
      `${service ?? 'No service'} of project ${config.project} has a container.`,
      `Start it: \`apex up${service ? ` --only ${service}` : ''}\`.`,
    );
  }
  const since = options.since ? parseSince(options.since) : undefined;
  const width = Math.max(...chosen.map(([name]) => name.length));
  await Promise.all(
    chosen.map(async ([name, info]) => {
      const stream = await engine.client.containers.logs(info.id, { follow: options.follow, tail: options.tail, since });
      const prefix = chosen.length > 1 ? `${name.padEnd(width)} | ` : '';
      for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) out.write(`${prefix}${line}\n`);
    }),
  );
}
