import { histogram } from '../results/stats.js';
import type { TimelinePoint } from '../results/run-result.js';

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 48, right: 12, top: 16, bottom: 36 };

function frame(title: string, xLabel: string, yMax: number, body: string[]): string {
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#888"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end" font-size="10">${yMax}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + plotHeight}" text-anchor="end" font-size="10">0</text>`,
    `<text x="${(WIDTH + PAD.left) / 2}" y="${HEIGHT - 6}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** End-to-end latency histogram (20 equal-width bins). */
export function latencyHistogramSvg(samplesMs: readonly number[]): string {
  const bins = histogram(samplesMs, 20);
  if (bins.length === 0) return frame('Latency histogram: no samples', 'latency (ms)', 0, []);
  const yMax = Math.max(...bins.map((bin) => bin.count));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const barWidth = plotWidth / bins.length;
  const bars = bins.map((bin, index) => {
    const height = (bin.count / yMax) * plotHeight;
    const x = PAD.left + index * barWidth;
    return `<rect x="${x.toFixed(1)}" y="${(PAD.top + plotHeight - height).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="#4c78a8"><title>${Math.round(bin.from)}–${Math.round(bin.to)} ms: ${bin.count}</title></rect>`;
  });
  const labels = [0, Math.floor(bins.length / 2), bins.length - 1].map((index) => `<text x="${(PAD.left + index * barWidth).toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}" font-size="10">${Math.round(bins[index].from)}</text>`);
  return frame('End-to-end latency histogram', 'latency (ms)', yMax, [...bars, ...labels]);
}

/** Workflows closed per second (completed stacked with failed), over the test's timeline. */
export function throughputSvg(title: string, timeline: readonly TimelinePoint[]): string {
  if (timeline.length === 0) return frame(`${title}: no workflows closed`, 'seconds since first start', 0, []);
  const yMax = Math.max(1, ...timeline.map((point) => point.completed + point.failed));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const barWidth = plotWidth / timeline.length;
  const bars = timeline.flatMap((point, index) => {
    const x = (PAD.left + index * barWidth).toFixed(1);
    const ok = (point.completed / yMax) * plotHeight;
    const bad = (point.failed / yMax) * plotHeight;
    return [
      `<rect x="${x}" y="${(PAD.top + plotHeight - ok).toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${ok.toFixed(1)}" fill="#54a24b"><title>${point.second}s: ${point.completed} completed</title></rect>`,
      point.failed ? `<rect x="${x}" y="${(PAD.top + plotHeight - ok - bad).toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${bad.toFixed(1)}" fill="#e45756"><title>${point.second}s: ${point.failed} failed</title></rect>` : '',
    ];
  });
  const last = `<text x="${WIDTH - PAD.right}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="end" font-size="10">${timeline.length}s</text>`;
  return frame(title, 'seconds since first start (workflows closed per second)', yMax, [...bars.filter(Boolean), last]);
}
