import { DeleteObjectsCommand, paginateListObjectsV2 } from '../../vendor/s3-client.js';
import type { ClearReport, StoreContext } from '../operations.js';
import { withS3 } from './probe.js';
import { projectBuckets } from '../project-schema.js';
import { s3Buckets } from './seed.js';

/** Empties apex's buckets and the project's (they stay; seed puts the samples back). A bucket deleted by hand is left to seed. */
export const clearS3 = (ctx: StoreContext): Promise<ClearReport> =>
  withS3(ctx, async (s3) => {
    const cleared: string[] = [];
    for (const bucket of new Set([...s3Buckets(ctx), ...projectBuckets(ctx.stack)])) {
      let deleted = 0;
      try {
        for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: bucket })) {
          const objects = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
          if (objects.length === 0) continue;
          const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
          if (result.Errors?.length) throw new Error(`${bucket}: ${result.Errors[0].Key}: ${result.Errors[0].Message}`);
          deleted += objects.length;
        }
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchBucket') continue;
        throw error;
      }
      cleared.push(`emptied ${bucket} (${deleted} objects)`);
    }
    return { cleared };
  });
