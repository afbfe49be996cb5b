import type { Embedder } from './embedder.js';

/** FNV-1a, 32 bit: a fast, stable hash so that the same text always gets the same vector. */
function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Feature hashing of words and word bigrams into `dimensions` buckets, L2-normalised: similar texts score close. */
export function localEmbedding(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const features = [...words, ...words.slice(1).map((word, index) => `${words[index]} ${word}`)];
  for (const feature of features) {
    const hash = fnv1a(feature, 0);
    vector[hash % dimensions] += (fnv1a(feature, 1) & 1) === 0 ? 1 : -1;
  }
  let norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[fnv1a(text, 2) % dimensions] = 1;
    norm = 1;
  }
  for (let index = 0; index < dimensions; index++) vector[index] /= norm;
  return vector;
}

export function createLocalEmbedder(dimensions = 384): Embedder {
  return {
    provider: 'local',
    dimensions,
    embed: async (texts) => texts.map((text) => localEmbedding(text, dimensions)),
  };
}
