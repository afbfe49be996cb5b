import { describe, expect, it } from 'vitest';
import { durationMs, durationSetting, parseDuration } from '../../../src/config/duration.js';

describe('parseDuration', () => {
  it('reads each unit as Prometheus does', () => {
    expect(['500ms', '30s', '1m', '2h', '1d'].map((text) => parseDuration(text))).toEqual([500, 30_000, 60_000, 7_200_000, 86_400_000]);
  });

  it('answers undefined for other spellings and for units not allowed', () => {
    expect(['1.5s', '1h30m', '10', 's', ' 5s', '5 s', 'five seconds'].map((text) => parseDuration(text))).toEqual(Array(7).fill(undefined));
    expect(parseDuration('2h', ['ms', 's', 'm'])).toBeUndefined();
    expect(parseDuration('500ms', ['s', 'm', 'h'])).toBeUndefined();
  });

  it('throws on a value that skipped validation', () => {
    expect(() => durationMs('soon')).toThrow(/not a duration: soon/);
  });

  it('validates a setting and names the units in the message', () => {
    const setting = durationSetting(['s', 'm', 'h']);
    expect(setting.parse('5m')).toBe('5m');
    expect(setting.safeParse('500ms').error?.issues[0]?.message).toBe('a duration like 5s (units: s, m, h)');
  });
});
