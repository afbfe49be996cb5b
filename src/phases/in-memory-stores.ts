import type { DocumentSource, SourceDocument } from '../ingestion/activities/document-source.js';
import type { StoreWriters } from '../results/store-writer.js';
import { ApplicationFailure } from '@temporalio/common';

/**
 * Phase 2C's stand-ins for the stores and S3: the same activities run over these, registered under the same
 * names, so 2C measures Temporal and the worker. Writes are accepted and kept nowhere: 2C verifies by results.
 */
export interface InMemoryStack {
  documents: DocumentSource & { put(bucket: string, key: string, document: SourceDocument): void };
  stores: StoreWriters;
}

export function createInMemoryStack(): InMemoryStack {
  const objects = new Map<string, SourceDocument>();
  const accepted = { write: async () => undefined, compensate: async () => undefined };
  return {
    documents: {
      put: (bucket, key, document) => void objects.set(`${bucket}/${key}`, document),
      size: async (bucket, key) => objects.get(`${bucket}/${key}`)?.body.byteLength,
      get: async (bucket, key) => {
        const document = objects.get(`${bucket}/${key}`);
        if (!document) throw ApplicationFailure.nonRetryable(`memory://${bucket}/${key} does not exist`, 'DocumentNotFound');
        return document;
      },
    },
    stores: { postgres: accepted, neo4j: accepted, qdrant: accepted, redis: accepted },
  };
}
