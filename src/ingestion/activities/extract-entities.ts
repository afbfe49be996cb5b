import { ApplicationFailure } from '@temporalio/common';
import type { Chunk, Entity } from '../../results/ingestion-contract.js';
import { extractEntities } from '../entity-extraction.js';
import type { ActivityDeps } from './deps.js';

export function createExtractEntitiesActivity(deps: ActivityDeps) {
  return async function extract_entities(input: { chunks: Chunk[] }): Promise<Entity[]> {
    const entities = extractEntities(input.chunks.map((chunk) => chunk.text));
    if (entities.length > deps.limits.maxEntities) {
      throw ApplicationFailure.nonRetryable(`${entities.length} entities, over the limit of ${deps.limits.maxEntities}`, 'DocumentTooLarge');
    }
    return entities;
  };
}
