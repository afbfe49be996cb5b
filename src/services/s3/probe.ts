import type { S3Client } from '@aws-sdk/client-s3';
import { ListBucketsCommand } from '../../vendor/s3-client.js';
import { credentialDiagnosis, hasErrorCode } from '../failure.js';
import { httpBaseUrl } from '../http-probe.js';
import { withResource, type Diagnosis, type ProbeReport, type StoreContext } from '../operations.js';
import { createS3Client } from './client.js';

/** A client for an operation, destroyed when it ends or is aborted. */
export const withS3 = <T>(ctx: StoreContext, use: (s3: S3Client) => Promise<T>): Promise<T> =>
  withResource(
    ctx.signal,
    () => createS3Client(ctx.endpoint, ctx.stack.credentials),
    (s3) => s3.destroy(),
    use,
  );

interface LocalStackHealth {
  services?: Record<string, string>;
  version?: string;
  edition?: string;
}

/** LocalStack reports itself on /_localstack/health; another emulator (moto, MinIO) is named by its Server header. */
async function identifyEmulator(ctx: StoreContext): Promise<{ version?: string; emulator: string }> {
  const response = await fetch(`${httpBaseUrl(ctx.endpoint)}/_localstack/health`, { signal: ctx.signal });
  const body = await response.text();
  if (response.ok) {
    const health = JSON.parse(body) as LocalStackHealth;
    const s3State = health.services?.s3 ?? 'not listed';
    if (s3State !== 'running' && s3State !== 'available') throw new Error(`LocalStack reports s3 ${s3State}`);
    return { version: health.version, emulator: `LocalStack${health.edition ? ` (${health.edition})` : ''} s3 ${s3State}` };
  }
  const server = response.headers.get('server') ?? 'unknown';
  const name = /minio/i.test(server) ? 'MinIO' : /werkzeug|moto/i.test(server) ? 'moto' : 'S3 emulator';
  return { emulator: `${name} (no /_localstack/health; server: ${server})` };
}

export const probeS3 = (ctx: StoreContext): Promise<ProbeReport> =>
  withS3(ctx, async (s3) => {
    const [listing, emulator] = await Promise.all([s3.send(new ListBucketsCommand({}), { abortSignal: ctx.signal }), identifyEmulator(ctx)]);
    const buckets = listing.Buckets?.length ?? 0;
    return {
      version: emulator.version,
      detail: `ListBuckets (${buckets} bucket${buckets === 1 ? '' : 's'}); ${emulator.emulator}`,
    };
  });

export function diagnoseS3(error: unknown, ctx: StoreContext): Diagnosis | undefined {
  if (hasErrorCode(error, 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidClientTokenId')) {
    return credentialDiagnosis(ctx, 'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY', error instanceof Error ? error.message : String(error));
  }
  return undefined;
}
