import type { S3Client } from '@aws-sdk/client-s3';
import { runContractQuery } from '../../contracts/query-error.js';
import { renderTemplate, type TemplateVariables } from '../../contracts/render.js';
import type { S3Query } from '../../contracts/schema.js';
import { listObjectKeys } from './writes.js';
import { deleteObjectKeys } from './writes.js';

const describe = (query: S3Query): string => `s3://${query.bucket}/${query.prefix}`;

/** The objects under a contract's bucket and prefix. */
export async function countMatching(s3: S3Client, query: S3Query, vars: TemplateVariables): Promise<number> {
  const bucket = renderTemplate(query.bucket, vars);
  const prefix = renderTemplate(query.prefix, vars);
  return runContractQuery('s3', describe(query), async () => (await listObjectKeys(s3, bucket, prefix)).length);
}

/** Deletes the objects under a contract's bucket and prefix; returns how many it deleted. */
export async function deleteMatching(s3: S3Client, query: S3Query, vars: TemplateVariables): Promise<number> {
  const bucket = renderTemplate(query.bucket, vars);
  const prefix = renderTemplate(query.prefix, vars);
  return runContractQuery('s3', describe(query), async () => {
    const keys = await listObjectKeys(s3, bucket, prefix);
    await deleteObjectKeys(s3, bucket, keys);
    return keys.length;
  });
}
