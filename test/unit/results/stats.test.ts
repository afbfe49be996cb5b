import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { distribution, histogram, quantile, ratePerSecond } from '../../../src/results/stats.js';

// Reference values from Python's statistics.quantiles(method="inclusive"), which is numpy's default (type 7).
const reference = JSON.parse(readFileSync(new URL('../../fixtures/stats/lognormal-257.json', import.meta.url), 'utf8')) as {
  values: number[];
  p50: number;
  p95: number;
  p99: number;
  mean: number;
};

describe('percentiles', () => {
  it.each([
    ['small', [12, 3, 7, 45, 9], { p50: 9, p95: 38.4, p99: 43.68, mean: 15.2 }],
    ['ties', [5, 5, 5, 5, 10, 10, 20], { p50: 5, p95: 17, p99: 19.4, mean: 8.571428571428571 }],
    ['lognormal 257', reference.values, reference],
  ])('match the reference computation: %s', (_name, values, expected) => {
    const summary = distribution(values)!;
    expect(summary.p50).toBeCloseTo(expected.p50, 9);
    expect(summary.p95).toBeCloseTo(expected.p95, 9);
    expect(summary.p99).toBeCloseTo(expected.p99, 9);
    expect(summary.mean).toBeCloseTo(expected.mean, 9);
    expect(summary.count).toBe(values.length);
  });

  it('does not depend on input order', () => {
    const shuffled = [...reference.values].reverse();
    expect(distribution(shuffled)).toEqual(distribution(reference.values));
  });

  it('has no latency for an empty sample, and a single value is every percentile', () => {
    expect(distribution([])).toBeUndefined();
    expect(quantile([], 0.5)).toBeNaN();
    expect(distribution([42])).toMatchObject({ p50: 42, p95: 42, p99: 42, min: 42, max: 42 });
  });

  it('bins every sample exactly once', () => {
    const bins = histogram(reference.values, 20);
    expect(bins).toHaveLength(20);
    expect(bins.reduce((total, bin) => total + bin.count, 0)).toBe(reference.values.length);
    expect(histogram([3, 3, 3])).toEqual([{ from: 3, to: 4, count: 3 }]);
  });

  it('rates are per second and zero for an empty window', () => {
    expect(ratePerSecond(50, 2_000)).toBe(25);
    expect(ratePerSecond(50, 0)).toBe(0);
  });
});
