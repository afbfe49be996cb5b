import { createHash } from 'node:crypto';
import type { Chunk } from '../results/ingestion-contract.js';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Splits text into chunks of at most `maxChars`, on paragraph, then sentence, then word boundaries.
 * Deterministic, so that a phase can compute the expected chunk count of every document it uploads.
 */
export function chunkText(text: string, maxChars = 800): Chunk[] {
  const normalised = text
    // NUL cannot be stored in a PostgreSQL text column.
    // eslint-disable-next-line no-control-regex
    .replace(/\u0000/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (normalised.length === 0) return [];
  const pieces = normalised.split(/\n\n/).flatMap((paragraph) => splitLong(paragraph.trim(), maxChars));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (!piece) continue;
    if (current && current.length + 2 + piece.length > maxChars) {
      chunks.push(current);
      current = piece;
    } else {
      current = current ? `${current}\n\n${piece}` : piece;
    }
  }
  if (current) chunks.push(current);
  return chunks.map((chunkText, ordinal) => ({ ordinal, text: chunkText, contentHash: sha256(chunkText) }));
}

function splitLong(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const cut = Math.max(window.lastIndexOf('. ') + 1, window.lastIndexOf(' '));
    const at = cut > maxChars / 2 ? cut : maxChars;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(rest);
  return out;
}
