import type { Embeddings, EmbeddingsInput } from '../contract.js';
import { encodeVector } from '../embeddings/embedder.js';
import type { ActivityDeps } from './deps.js';

export function createGenerateEmbeddingsActivity(deps: ActivityDeps) {
  return async function generate_embeddings(input: EmbeddingsInput): Promise<Embeddings> {
    const vectors = await deps.embedder.embed(input.texts);
    return { dimensions: deps.embedder.dimensions, vectors: vectors.map(encodeVector) };
  };
}
