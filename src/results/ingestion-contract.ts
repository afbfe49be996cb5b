/**
 * The contract between the workflow, its activities and the phases: activity names, inputs and outputs.
 * Imported by workflow code, so it must stay free of Node built-ins and runtime dependencies.
 */

/** Every activity the workflow calls, under the exact name it is registered with (an activity registered under another name fails every workflow). */
export const ACTIVITY_NAMES = [
  'download_from_s3',
  'parse_document',
  'extract_entities',
  'generate_embeddings',
  'write_postgres',
  'write_neo4j',
  'write_qdrant',
  'write_redis',
  'compensate_postgres',
  'compensate_neo4j',
  'compensate_qdrant',
  'compensate_redis',
] as const;
export type ActivityName = (typeof ACTIVITY_NAMES)[number];

export const STORES = ['postgres', 'neo4j', 'qdrant', 'redis'] as const;
export type StoreName = (typeof STORES)[number];

/** Failure types that retrying cannot fix; the workflow fails at once with the reason. */
export const NON_RETRYABLE_ERRORS = [
  'UnsupportedDocumentType',
  'CorruptDocument',
  'EmptyDocument',
  'DocumentTooLarge',
  'DocumentNotFound',
  'InjectedPermanentFailure',
  'EmbeddingRequestRejected',
] as const;

/** The single object argument of DocumentIngestionWorkflow (never positional: an SDK `args=[]` call passes none). */
export interface IngestionInput {
  /** Tags every row, node, point and key this workflow writes. */
  runId: string;
  /** The document's name, including its extension: the type fallback when Content-Type is missing. */
  documentId: string;
  bucket: string;
  key: string;
  options?: IngestionOptions;
}

export interface IngestionOptions {
  /** Run parse, extract and embed as local activities: fewer state transitions per workflow. */
  localCpuSteps?: boolean;
  /** Run the store writes and compensations as local activities: fewer transitions again, retries stay in the worker. */
  localStoreWrites?: boolean;
}

export interface IngestionResult {
  documentUuid: string;
  documentType: DocumentType;
  chunks: number;
  entities: number;
  /** Retries are invisible to the result; the phases count them from histories. */
  stores: StoreName[];
}

export const DOCUMENT_TYPES = ['txt', 'md', 'html', 'pdf'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface DownloadInput {
  runId: string;
  documentId: string;
  bucket: string;
  key: string;
}

export interface DownloadedDocument {
  bucket: string;
  key: string;
  documentId: string;
  /** Worker-local file; parse_document downloads again when it runs on another host. */
  localPath: string;
  contentType?: string;
  bytes: number;
  contentHash: string;
}

export interface Chunk {
  ordinal: number;
  text: string;
  contentHash: string;
}

export interface ParsedDocument {
  documentType: DocumentType;
  chunks: Chunk[];
}

export interface Entity {
  name: string;
  kind: string;
}

export interface EmbeddingsInput {
  texts: string[];
}

export interface Embeddings {
  dimensions: number;
  /** Little-endian Float32 vectors, base64: a quarter of the JSON size in the history. */
  vectors: string[];
}

export interface DocumentRecord {
  uuid: string;
  runId: string;
  fileName: string;
  s3Key: string;
  contentType?: string;
  contentHash: string;
}

export interface ChunkRecord extends Chunk {
  uuid: string;
}

export interface EntityRecord extends Entity {
  uuid: string;
}

export interface PostgresWrite {
  document: DocumentRecord;
  chunks: ChunkRecord[];
  entities: EntityRecord[];
}

export interface Neo4jWrite {
  document: DocumentRecord;
  entities: Entity[];
}

export interface QdrantWrite {
  document: DocumentRecord;
  chunks: { uuid: string; ordinal: number }[];
  embeddings: Embeddings;
}

export interface RedisWrite {
  document: DocumentRecord;
  chunkCount: number;
  entityCount: number;
}

export interface Compensation {
  runId: string;
  documentUuid: string;
}

/** The activity signatures: workflows import this type only. */
export interface IngestionActivities {
  download_from_s3(input: DownloadInput): Promise<DownloadedDocument>;
  parse_document(input: DownloadedDocument): Promise<ParsedDocument>;
  extract_entities(input: { chunks: Chunk[] }): Promise<Entity[]>;
  generate_embeddings(input: EmbeddingsInput): Promise<Embeddings>;
  write_postgres(input: PostgresWrite): Promise<void>;
  write_neo4j(input: Neo4jWrite): Promise<void>;
  write_qdrant(input: QdrantWrite): Promise<void>;
  write_redis(input: RedisWrite): Promise<void>;
  compensate_postgres(input: Compensation): Promise<void>;
  compensate_neo4j(input: Compensation): Promise<void>;
  compensate_qdrant(input: Compensation): Promise<void>;
  compensate_redis(input: Compensation): Promise<void>;
}

/** Entity identity shared by every store: "<kind>:<lowercased name>". */
export const entityKey = (entity: Entity): string => `${entity.kind}:${entity.name.toLowerCase()}`;
