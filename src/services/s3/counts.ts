import type { S3Client } from '@aws-sdk/client-s3';
import { ListObjectsV2Command } from '../../vendor/s3-client.js';
import type { RunCounts } from '../../results/store-writer.js';

/** Where a phase run uploads its documents. */
export const runPrefix = (runId: string): string => `runs/${runId}/`;

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

export const listRunObjects = (s3: S3Client, bucket: string, runId: string): Promise<string[]> => listObjectKeys(s3, bucket, runPrefix(runId));

export async function countS3Run(s3: S3Client, bucket: string, runId: string): Promise<Pick<RunCounts, 'objects'>> {
  return { objects: (await listRunObjects(s3, bucket, runId)).length };
}
