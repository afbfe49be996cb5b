/**
 * DocumentIngestionWorkflow: download → parse → extract + embed → write the four stores in parallel under a saga.
 * Deterministic sandbox code: activities are imported as types only, and no Node built-ins are used.
 */
import { ApplicationFailure, proxyActivities, proxyLocalActivities, uuid4 } from '@temporalio/workflow';
import {
  NON_RETRYABLE_ERRORS,
  type DocumentRecord,
  type IngestionActivities,
  type IngestionInput,
  type IngestionResult,
} from '../results/ingestion-contract.js';
import { runWriteSaga, type SagaStep } from './saga.js';

const retry = { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', nonRetryableErrorTypes: [...NON_RETRYABLE_ERRORS] };

const io = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '60s',
  retry: { ...retry, maximumAttempts: 5 },
});

const cpuRemote = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '60s',
  retry: { ...retry, maximumAttempts: 3 },
});

const ioLocal = proxyLocalActivities<IngestionActivities>({
  startToCloseTimeout: '60s',
  retry: { ...retry, maximumAttempts: 5 },
});

const cpuLocal = proxyLocalActivities<IngestionActivities>({
  startToCloseTimeout: '60s',
  retry: { ...retry, maximumAttempts: 3 },
});

export async function DocumentIngestionWorkflow(input: IngestionInput): Promise<IngestionResult> {
  if (typeof input !== 'object' || input === null || typeof input.runId !== 'string') {
    // Arguments passed positionally (an SDK migration's `args=[]`) instead of as one object.
    throw ApplicationFailure.nonRetryable(
      'DocumentIngestionWorkflow takes ONE object argument {runId, documentId, bucket, key}; got ' + (Array.isArray(input) ? 'an array' : typeof input),
      'WorkflowArgumentShape',
    );
  }
  const cpu = input.options?.localCpuSteps === false ? cpuRemote : cpuLocal;
  const store = input.options?.localStoreWrites ? ioLocal : io;
  const downloaded = await io.download_from_s3({
    runId: input.runId,
    documentId: input.documentId,
    bucket: input.bucket,
    key: input.key,
  });
  const parsed = await cpu.parse_document(downloaded);
  const [entities, embeddings] = await Promise.all([
    cpu.extract_entities({ chunks: parsed.chunks }),
    cpu.generate_embeddings({ texts: parsed.chunks.map((chunk) => chunk.text) }),
  ]);

  const document: DocumentRecord = {
    uuid: uuid4(),
    runId: input.runId,
    fileName: input.documentId,
    s3Key: input.key,
    contentType: downloaded.contentType,
    contentHash: downloaded.contentHash,
  };
  const chunks = parsed.chunks.map((chunk) => ({ ...chunk, uuid: uuid4() }));
  const compensation = { runId: input.runId, documentUuid: document.uuid };
  const steps: SagaStep[] = [
    {
      store: 'postgres',
      write: () => store.write_postgres({ document, chunks, entities: entities.map((entity) => ({ ...entity, uuid: uuid4() })) }),
      compensate: () => store.compensate_postgres(compensation),
    },
    {
      store: 'neo4j',
      write: () => store.write_neo4j({ document, entities }),
      compensate: () => store.compensate_neo4j(compensation),
    },
    {
      store: 'qdrant',
      write: () => store.write_qdrant({ document, chunks: chunks.map(({ uuid, ordinal }) => ({ uuid, ordinal })), embeddings }),
      compensate: () => store.compensate_qdrant(compensation),
    },
    {
      store: 'redis',
      write: () => store.write_redis({ document, chunkCount: chunks.length, entityCount: entities.length }),
      compensate: () => store.compensate_redis(compensation),
    },
  ];
  const outcome = await runWriteSaga(steps);
  if (outcome.failed.length > 0) {
    const failedStores = outcome.failed.map((failure) => failure.store).join(', ');
    const leftBehind = outcome.compensationFailures.map((failure) => failure.store);
    throw ApplicationFailure.create({
      message:
        `write to ${failedStores} failed; compensated ${outcome.compensated.join(', ') || 'nothing'}` +
        (leftBehind.length ? `; COMPENSATION FAILED for ${leftBehind.join(', ')} (data may be left behind)` : ''),
      type: leftBehind.length ? 'WriteSagaIncomplete' : 'WriteSagaCompensated',
      nonRetryable: true,
      details: [{ failedStores: outcome.failed.map((failure) => failure.store), compensated: outcome.compensated, leftBehind }],
      cause: outcome.failed[0].error instanceof Error ? outcome.failed[0].error : undefined,
    });
  }
  return {
    documentUuid: document.uuid,
    documentType: parsed.documentType,
    chunks: chunks.length,
    entities: entities.length,
    stores: outcome.written,
  };
}

/** Serves the workflow under a configured type name (ingestion.workflowType) as well. */
export default DocumentIngestionWorkflow;
