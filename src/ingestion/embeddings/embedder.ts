import type { ApexConfig } from '../../config/schema.js';
import { configError } from '../../errors.js';
import { createLocalEmbedder } from './local-embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

export interface Embedder {
  readonly provider: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * The provider: APEX_EMBEDDINGS_PROVIDER, else `openai` when config says so or OPENAI_API_KEY is set, else `local`
 * (deterministic, offline). ingestion.embeddings.baseUrl (or OPENAI_BASE_URL) points `openai` at any compatible server.
 */
export function createEmbedder(config: ApexConfig, env: Readonly<Record<string, string | undefined>>): Embedder {
  const settings = config.ingestion.embeddings;
  const apiKey = env.OPENAI_API_KEY ?? '';
  const provider = env.APEX_EMBEDDINGS_PROVIDER ?? (settings.provider === 'openai' || apiKey ? 'openai' : 'local');
  if (provider === 'local') return createLocalEmbedder(settings.dimensions);
  const baseUrl = settings.baseUrl ?? env.OPENAI_BASE_URL;
  if (provider !== 'openai') {
    throw configError(`APEX_EMBEDDINGS_PROVIDER is "${provider}".`, 'Set it to "local" or "openai", or unset it.');
  }
  if (!apiKey && !baseUrl) {
    throw configError(
      'ingestion.embeddings.provider is "openai" but OPENAI_API_KEY is not set.',
      'Set OPENAI_API_KEY in .env, point ingestion.embeddings.baseUrl at a compatible server, or use provider "local".',
    );
  }
  return createOpenAiEmbedder({ apiKey, baseUrl: baseUrl ?? 'https://api.openai.com/v1', model: settings.model, dimensions: settings.dimensions });
}
