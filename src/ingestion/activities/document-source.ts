import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, NoSuchKey } from '../../vendor/s3-client.js';
import { ApplicationFailure } from '@temporalio/common';

export interface SourceDocument {
  body: Uint8Array;
  contentType?: string;
}

/** Where download_from_s3 reads documents: S3 in production and 2D, memory in 2C. */
export interface DocumentSource {
  /** Bytes the source will return, when it knows before reading them. */
  size(bucket: string, key: string): Promise<number | undefined>;
  get(bucket: string, key: string): Promise<SourceDocument>;
}

export function createS3DocumentSource(s3: S3Client, maxBytes: number): DocumentSource {
  const fetchObject = async (bucket: string, key: string) => {
    try {
      return await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchBucket') {
        throw ApplicationFailure.nonRetryable(`s3://${bucket}/${key} does not exist (${(error as Error).name})`, 'DocumentNotFound');
      }
      throw error;
    }
  };
  return {
    size: async () => undefined,
    async get(bucket, key) {
      const object = await fetchObject(bucket, key);
      if ((object.ContentLength ?? 0) > maxBytes) {
        object.Body?.transformToWebStream()
          .cancel()
          .catch(() => undefined);
        throw tooLarge(bucket, key, object.ContentLength ?? 0, maxBytes);
      }
      const body = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      return { body, contentType: object.ContentType || undefined };
    },
  };
}

export const tooLarge = (bucket: string, key: string, bytes: number, maxBytes: number): ApplicationFailure =>
  ApplicationFailure.nonRetryable(
    `s3://${bucket}/${key} is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${(maxBytes / 1024 / 1024).toFixed(0)} MB document limit`,
    'DocumentTooLarge',
  );
