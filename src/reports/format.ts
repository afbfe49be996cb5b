import type { Distribution } from '../results/stats.js';
import type { TestStatus } from '../results/run-result.js';

export const ms = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? 'n/a' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
export const rate = (value: number, unit = 'workflows/s'): string => `${value.toFixed(2)} ${unit}`;
export const percent = (value: number): string => `${(value * 100).toFixed(value === 1 || value === 0 ? 0 : 1)}%`;
export const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`;
export const percentiles = (distribution: Distribution | undefined): string =>
  distribution ? `${ms(distribution.p50)} / ${ms(distribution.p95)} / ${ms(distribution.p99)}` : 'n/a';
export const statusIcon: Record<TestStatus, string> = { passed: '✅', failed: '❌', skipped: '⏭️' };

/** Markdown table cell: no pipes or newlines. */
export const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A stable anchor for a heading (GitHub style). */
export const anchor = (heading: string): string => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ /g, '-');

/** Text and attribute values for HTML and SVG. */
export const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
