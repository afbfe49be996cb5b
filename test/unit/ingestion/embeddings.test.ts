import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { createEmbedder } from '../../../src/ingestion/embeddings/embedder.js';
import { decodeVector, encodeVector } from '../../../src/results/vector-encoding.js';
import { localEmbedding } from '../../../src/ingestion/embeddings/local-embedder.js';
import { createOpenAiEmbedder, rateLimitDelayMs } from '../../../src/ingestion/embeddings/openai-embedder.js';

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

describe('embeddings', () => {
  it('local: deterministic, 384 dimensions, unit length, similar texts closer', () => {
    const a = localEmbedding('vector search for the apex memory graph', 384);
    expect(a).toHaveLength(384);
    expect(localEmbedding('vector search for the apex memory graph', 384)).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((sum, value, index) => sum + value * y[index], 0);
    expect(dot(a, localEmbedding('vector search for the apex memory', 384))).toBeGreaterThan(dot(a, localEmbedding('cooking pasta with tomatoes', 384)));
    expect(Math.hypot(...localEmbedding('', 384))).toBeCloseTo(1, 5);
  });

  it('vectors survive the base64 encoding used in histories', () => {
    const vector = localEmbedding('round trip', 384);
    expect(Float32Array.from(decodeVector(encodeVector(vector)))).toEqual(vector);
  });

  it('picks local by default, openai with a key, and refuses openai with neither key nor base URL', () => {
    const config = configSchema.parse({});
    expect(createEmbedder(config, {}).provider).toBe('local');
    expect(createEmbedder(config, { OPENAI_API_KEY: 'sk-test' }).provider).toBe('openai');
    expect(createEmbedder(config, { OPENAI_API_KEY: 'sk-test', APEX_EMBEDDINGS_PROVIDER: 'local' }).provider).toBe('local');
    expect(() => createEmbedder(configSchema.parse({ ingestion: { embeddings: { provider: 'openai' } } }), {})).toThrow(/OPENAI_API_KEY is not set/);
  });

  it('openai-compatible: backs off on 429 (Retry-After) and then succeeds', async () => {
    let calls = 0;
    const server = createServer((request, response) => {
      calls++;
      if (calls <= 2) {
        response.writeHead(429, { 'retry-after': '0' }).end('slow down');
        return;
      }
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { input } = JSON.parse(body) as { input: string[] };
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ data: input.map((_, index) => ({ index, embedding: [index, 1, 0] })).reverse() }));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const waits: number[] = [];
    const embedder = createOpenAiEmbedder({
      apiKey: 'k',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: 'm',
      dimensions: 3,
      sleep: async (ms) => void waits.push(ms),
    });
    const vectors = await embedder.embed(['a', 'b']);
    expect(calls).toBe(3);
    expect(waits).toEqual([0, 0]);
    expect(vectors.map((vector) => Array.from(vector))).toEqual([
      [0, 1, 0],
      [1, 1, 0],
    ]);
  });

  it('openai-compatible: a persistent 429 is a retryable RateLimited failure; a 401 is not retryable', async () => {
    const server = createServer((request, response) => response.writeHead(request.headers.authorization === 'Bearer bad' ? 401 : 429).end('no'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const options = { baseUrl: `http://127.0.0.1:${port}`, model: 'm', dimensions: 3, maxAttempts: 2, sleep: async () => undefined };
    await expect(createOpenAiEmbedder({ ...options, apiKey: 'k' }).embed(['a'])).rejects.toMatchObject({ type: 'RateLimited', nonRetryable: false });
    await expect(createOpenAiEmbedder({ ...options, apiKey: 'bad' }).embed(['a'])).rejects.toMatchObject({
      type: 'EmbeddingRequestRejected',
      nonRetryable: true,
    });
  });

  it('backoff grows exponentially without Retry-After, capped', () => {
    expect(rateLimitDelayMs(1, '2')).toBe(2000);
    expect(rateLimitDelayMs(1, null)).toBeLessThanOrEqual(250);
    expect(rateLimitDelayMs(20, null)).toBeLessThanOrEqual(8000);
  });
});
