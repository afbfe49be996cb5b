import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { sha256 } from '../chunking.js';
import type { DownloadedDocument, DownloadInput } from '../../results/ingestion-contract.js';
import { extensionOf } from '../document-type.js';
import type { ActivityDeps } from './deps.js';
import { tooLarge } from './document-source.js';

/**
 * download_from_s3: fetches the document and keeps it in a worker-local file whose name ends in the document's
 * own extension (a temp file with a random suffix would lose it, and with it the type fallback).
 */
export function createDownloadActivity(deps: ActivityDeps) {
  return async function download_from_s3(input: DownloadInput): Promise<DownloadedDocument> {
    deps.faults.check('download_from_s3', input.runId, Context.current().info.attempt);
    const { body, contentType } = await deps.documents.get(input.bucket, input.key);
    if (body.byteLength > deps.limits.maxDocumentBytes) throw tooLarge(input.bucket, input.key, body.byteLength, deps.limits.maxDocumentBytes);
    const contentHash = sha256(body);
    const extension = extensionOf(input.documentId);
    await mkdir(deps.tempDir, { recursive: true });
    const localPath = join(deps.tempDir, `${contentHash.slice(0, 24)}${extension ? `.${extension}` : ''}`);
    await writeFile(localPath, body);
    return { bucket: input.bucket, key: input.key, documentId: input.documentId, localPath, contentType, bytes: body.byteLength, contentHash };
  };
}
