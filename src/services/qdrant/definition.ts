import type { ServiceDefinition } from '../service.js';

const apiKeyEnv = (apiKey: string): Record<string, string> =>
  apiKey ? { QDRANT__SERVICE__API_KEY: apiKey } : {};

export const qdrant: ServiceDefinition = {
  name: 'qdrant',
  profile: 'core',
  defaultImage: 'qdrant/qdrant:v1.15.1',
  ports: [{ name: 'http', container: 6333, host: 6333, scheme: 'http' }],
  dependsOn: [],
  memoryMb: 200,
  healthTimeoutSeconds: 60,
  container: (ctx) => ({
    image: ctx.config.services.qdrant?.image ?? qdrant.defaultImage,
    env: apiKeyEnv(ctx.credentials.qdrantApiKey),
    volumes: [{ volume: 'qdrant-data', target: '/qdrant/storage' }],
    binds: [],
  }),
};
