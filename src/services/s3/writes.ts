import type { S3Client } from '@aws-sdk/client-s3';
import { DeleteObjectsCommand, PutObjectCommand } from '../../vendor/s3-client.js';
import { listRunObjects } from './counts.js';

export interface UploadedDocument {
  key: string;
  body: Uint8Array;
  /** Omitted on purpose by some tests: the worker must fall back to the extension. */
  contentType?: string;
}

export async function uploadDocument(s3: S3Client, bucket: string, document: UploadedDocument): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: document.key, Body: document.body, ContentType: document.contentType }));
}

/** Deletes the keys in batches of 1000 (the most one DeleteObjects request takes). */
export async function deleteObjectKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let index = 0; index < keys.length; index += 1000) {
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(index, index + 1000).map((Key) => ({ Key })) } }));
  }
}

export async function deleteS3Run(s3: S3Client, bucket: string, runId: string): Promise<void> {
  await deleteObjectKeys(s3, bucket, await listRunObjects(s3, bucket, runId));
}
