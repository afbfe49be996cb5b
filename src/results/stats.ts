/** Latency and rate statistics for phase results. */

import type { Distribution } from './run-result.js';

export type { Distribution };

/**
 * The q-quantile (0..1) by linear interpolation between closest ranks (Hyndman & Fan type 7, numpy's default).
 * `sorted` must be ascending.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * Math.min(Math.max(q, 0), 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Summary of a sample; undefined for an empty one (a phase that measured nothing has no latency). */
export function distribution(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
  };
}

export interface HistogramBin {
  /** Lower bound, inclusive. */
  from: number;
  /** Upper bound, exclusive (inclusive for the last bin). */
  to: number;
  count: number;
}

/** Equal-width bins over [min, max]; for the report's latency histogram. */
export function histogram(values: readonly number[], bins = 20): HistogramBin[] {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = max > min ? (max - min) / bins : 1;
  const out = Array.from({ length: max > min ? bins : 1 }, (_, index) => ({ from: min + index * width, to: min + (index + 1) * width, count: 0 }));
  for (const value of values) out[Math.min(Math.floor((value - min) / width), out.length - 1)].count++;
  return out;
}

/** Events per second over a window; 0 for an empty or zero-length window. */
export const ratePerSecond = (events: number, windowMs: number): number => (windowMs > 0 ? (events * 1000) / windowMs : 0);
