import type { DocumentSource, SourceDocument } from '../ingestion/activities/document-source.js';
import type { StoreWriters, RunCounts } from '../results/store-writer.js';
import { ApplicationFailure } from '@temporalio/common';

/**
 * Phase 2C's stand-ins for the stores and S3: the same activities run over these, registered under the same
 * names, so 2C measures Temporal and the worker, and still verifies exactly what every workflow wrote.
 */
export interface InMemoryStack {
  documents: DocumentSource & { put(bucket: string, key: string, document: SourceDocument): void };
  stores: StoreWriters;
  counts(runId: string): RunCounts;
}

interface StoredDocument {
  runId: string;
  chunks: number;
  entities: number;
}

export function createInMemoryStack(): InMemoryStack {
  const objects = new Map<string, SourceDocument>();
  const postgres = new Map<string, StoredDocument>();
  const neo4j = new Map<string, StoredDocument>();
  const qdrant = new Map<string, StoredDocument>();
  const redis = new Map<string, StoredDocument>();
  const writer = <T extends { document: { uuid: string; runId: string } }>(
    table: Map<string, StoredDocument>,
    size: (input: T) => Omit<StoredDocument, 'runId'>,
  ) => ({
    write: async (input: T) => void table.set(input.document.uuid, { runId: input.document.runId, ...size(input) }),
    compensate: async ({ documentUuid }: { documentUuid: string }) => void table.delete(documentUuid),
  });
  const ofRun = (table: Map<string, StoredDocument>, runId: string) => [...table.values()].filter((row) => row.runId === runId);
  const sum = (rows: StoredDocument[], field: 'chunks' | 'entities') => rows.reduce((total, row) => total + row[field], 0);
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
    stores: {
      postgres: writer(postgres, (input) => ({ chunks: input.chunks.length, entities: input.entities.length })),
      neo4j: writer(neo4j, (input) => ({ chunks: 0, entities: input.entities.length })),
      qdrant: writer(qdrant, (input) => ({ chunks: input.chunks.length, entities: 0 })),
      redis: writer(redis, () => ({ chunks: 0, entities: 0 })),
    },
    counts(runId) {
      const rows = ofRun(postgres, runId);
      const prefix = `runs/${runId}/`;
      return {
        documents: rows.length,
        chunks: sum(rows, 'chunks'),
        entities: sum(rows, 'entities'),
        graphDocuments: ofRun(neo4j, runId).length,
        mentions: sum(ofRun(neo4j, runId), 'entities'),
        points: sum(ofRun(qdrant, runId), 'chunks'),
        cacheKeys: ofRun(redis, runId).length,
        objects: [...objects.keys()].filter((key) => key.split('/').slice(1).join('/').startsWith(prefix)).length,
      };
    },
  };
}
