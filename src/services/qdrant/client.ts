import { QdrantClient } from '../../vendor/qdrant-client.js';
import type { Credentials } from '../../config/credentials.js';
import { httpBaseUrl } from '../http-probe.js';
import type { ServiceEndpoint } from '../service.js';

export function createQdrantClient(endpoint: ServiceEndpoint, credentials: Credentials): QdrantClient {
  return new QdrantClient({
    url: httpBaseUrl(endpoint),
    apiKey: credentials.qdrantApiKey || undefined,
    // The version check is a startup probe of its own; apex's health check reports the version instead.
    checkCompatibility: false,
    timeout: 10_000,
  });
}
