import type { IngestionActivities } from '../../results/ingestion-contract.js';
import type { ActivityDeps } from './deps.js';
import { createDownloadActivity } from './download-from-s3.js';
import { createExtractEntitiesActivity } from './extract-entities.js';
import { createGenerateEmbeddingsActivity } from './generate-embeddings.js';
import { createParseActivity } from './parse-document.js';
import { createStoreWriteActivities } from './store-writes.js';

export type { ActivityDeps } from './deps.js';

/** The activities keyed by the exact names the workflow calls (`satisfies` fails the build on a mismatch). */
export function createActivities(deps: ActivityDeps): IngestionActivities {
  return {
    download_from_s3: createDownloadActivity(deps),
    parse_document: createParseActivity(deps),
    extract_entities: createExtractEntitiesActivity(deps),
    generate_embeddings: createGenerateEmbeddingsActivity(deps),
    ...createStoreWriteActivities(deps),
  } satisfies Record<keyof IngestionActivities, unknown>;
}
