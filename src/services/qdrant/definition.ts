import { defineService, storeEntry } from '../service.js';

const apiKeyEnv = (apiKey: string): Record<string, string> => (apiKey ? { QDRANT__SERVICE__API_KEY: apiKey } : {});

export const qdrant = defineService('qdrant', {
  container: (ctx) => ({
    env: apiKeyEnv(ctx.credentials.qdrantApiKey),
    volumes: [{ volume: 'qdrant-data', target: '/qdrant/storage' }],
    binds: [],
  }),
  operations: storeEntry(['seed', 'clear'], async () => (await import('./operations.js')).qdrantOperations),
});
