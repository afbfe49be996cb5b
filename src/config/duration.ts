import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

const PATTERN = /^(\d+)(ms|s|m|h|d)$/;

/**
 * A duration as Prometheus, Alertmanager and `docker logs --since` write it: a whole number and one unit (500ms, 30s,
 * 1m, 2h, 1d). The same strings go into the rendered Prometheus config, so no other spelling is accepted.
 */
export function parseDuration(text: string, units: readonly DurationUnit[] = ['ms', 's', 'm', 'h', 'd']): number | undefined {
  const match = PATTERN.exec(text);
  if (!match || !units.includes(match[2] as DurationUnit)) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
}

/** Milliseconds of a duration the schema below has already validated. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`not a duration: ${text}`);
  return ms;
}

/** A config setting holding a duration in one of the units given. */
export const durationSetting = (units: readonly DurationUnit[]) =>
  z.string().refine((text) => parseDuration(text, units) !== undefined, {
    message: `a duration like 5${units.includes('s') ? 's' : units[0]} (units: ${units.join(', ')})`,
  });
