import type { S3Client } from '@aws-sdk/client-s3';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '../../vendor/s3-client.js';

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

/** Every key under a prefix, page by page. */
export async function listObjectKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}
