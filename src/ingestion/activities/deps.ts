import type { Embedder } from '../embeddings/embedder.js';
import type { FaultInjector } from '../fault-injection.js';
import type { IngestionLimits } from '../limits.js';
import type { StoreWriters } from '../../results/store-writer.js';
import type { DocumentSource } from './document-source.js';

/** Everything the activities use, passed in: the worker builds real ones, phase 2C in-memory ones. */
export interface ActivityDeps {
  documents: DocumentSource;
  stores: StoreWriters;
  embedder: Embedder;
  faults: FaultInjector;
  limits: IngestionLimits;
  /** Where downloads are kept between download_from_s3 and parse_document. */
  tempDir: string;
}
