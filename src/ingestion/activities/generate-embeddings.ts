import type { Embeddings, EmbeddingsInput } from '../../results/ingestion-contract.js';
import { encodeVector } from '../../results/vector-encoding.js';
import type { ActivityDeps } from './deps.js';

export function createGenerateEmbeddingsActivity(deps: ActivityDeps) {
  return async function generate_embeddings(input: EmbeddingsInput): Promise<Embeddings> {
    const vectors = await deps.embedder.embed(input.texts);
    return { dimensions: deps.embedder.dimensions, vectors: vectors.map(encodeVector) };
  };
}
