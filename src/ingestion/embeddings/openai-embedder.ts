import { ApplicationFailure } from '@temporalio/common';
import type { Embedder } from './embedder.js';

export interface OpenAiEmbedderOptions {
  apiKey: string;
  /** Any OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1. */
  baseUrl: string;
  model: string;
  dimensions: number;
  /** Attempts on 429 and 5xx before the activity's own retry takes over. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff for a 429: the server's Retry-After when it sends one, else exponential with jitter. */
export function rateLimitDelayMs(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  return Math.min(250 * 2 ** (attempt - 1), 8_000) * (0.5 + Math.random() / 2);
}

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? wait;
  const url = `${options.baseUrl.replace(/\/$/, '')}/embeddings`;
  return {
    provider: 'openai',
    dimensions: options.dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
          body: JSON.stringify({ model: options.model, input: texts, dimensions: options.dimensions }),
        });
        if (response.ok) {
          const body = (await response.json()) as { data: { index: number; embedding: number[] }[] };
          return [...body.data].sort((a, b) => a.index - b.index).map((item) => Float32Array.from(item.embedding));
        }
        const retriable = response.status === 429 || response.status >= 500;
        if (retriable && attempt < maxAttempts) {
          await sleep(rateLimitDelayMs(attempt, response.headers.get('retry-after')));
          continue;
        }
        const detail = (await response.text()).slice(0, 300);
        const message = `embeddings request to ${url} failed: HTTP ${response.status} after ${attempt} attempt(s): ${detail}`;
        if (response.status === 429) throw ApplicationFailure.retryable(message, 'RateLimited');
        if (retriable) throw ApplicationFailure.retryable(message, 'EmbeddingServerError');
        throw ApplicationFailure.nonRetryable(message, 'EmbeddingRequestRejected');
      }
    },
  };
}
