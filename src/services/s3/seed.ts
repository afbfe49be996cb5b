import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateBucketCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand } from '../../vendor/s3-client.js';
import type { SeedReport, StoreContext } from '../operations.js';
import { projectBuckets } from '../project-schema.js';
import { withS3 } from './probe.js';

export const SAMPLES_PREFIX = 'samples/';
const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
};
/** Object metadata that tells seed a sample is already up to date. */
const CHECKSUM_KEY = 'apex-sha256';

export const s3Buckets = (ctx: StoreContext): string[] => [...new Set([ctx.stack.config.ingestion.bucket, ctx.stack.config.ingestion.testBucket])];

export interface SampleDocument {
  key: string;
  body: Buffer;
  contentType: string;
  sha256: string;
}

export function sampleDocuments(templatesDir: string): SampleDocument[] {
  const dir = join(templatesDir, 'samples');
  return readdirSync(dir)
    .filter((file) => CONTENT_TYPES[extname(file)])
    .sort()
    .map((file) => {
      const body = readFileSync(join(dir, file));
      return {
        key: `${SAMPLES_PREFIX}${file}`,
        body,
        contentType: CONTENT_TYPES[extname(file)],
        sha256: createHash('sha256').update(body).digest('hex'),
      };
    });
}

/** HeadBucket and HeadObject answer a bare 404 for what does not exist. */
const isMissing = (error: unknown): boolean => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** Creates apex's buckets with the sample documents under samples/ (only those missing or changed), and the project's buckets. */
export const seedS3 = (ctx: StoreContext): Promise<SeedReport> =>
  withS3(ctx, async (s3) => {
    const report: SeedReport = { applied: [], unchanged: [] };
    const samples = sampleDocuments(ctx.stack.templatesDir);
    for (const bucket of s3Buckets(ctx)) {
      await createBucketIfMissing(s3, bucket, report);
      const uploaded = await Promise.all(samples.map((sample) => uploadIfChanged(s3, bucket, sample)));
      const changed = samples.filter((_, index) => uploaded[index]).map((sample) => sample.key);
      if (changed.length > 0) report.applied.push(`${bucket}: ${changed.length} samples uploaded`);
      if (changed.length < samples.length) report.unchanged.push(`${bucket}: ${samples.length - changed.length} samples`);
    }
    for (const bucket of projectBuckets(ctx.stack).filter((name) => !s3Buckets(ctx).includes(name))) await createBucketIfMissing(s3, bucket, report);
    return report;
  });

async function createBucketIfMissing(s3: S3Client, bucket: string, report: SeedReport): Promise<void> {
  if (await bucketExists(s3, bucket)) {
    report.unchanged.push(`bucket ${bucket}`);
    return;
  }
  // A concurrent seed may have created it a moment ago, which is just as good.
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
    if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw error;
  });
  report.applied.push(`bucket ${bucket}`);
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function uploadIfChanged(s3: S3Client, bucket: string, sample: SampleDocument): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: sample.key }));
    if (head.Metadata?.[CHECKSUM_KEY] === sample.sha256) return false;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: sample.key,
      Body: sample.body,
      ContentType: sample.contentType,
      Metadata: { [CHECKSUM_KEY]: sample.sha256 },
    }),
  );
  return true;
}
