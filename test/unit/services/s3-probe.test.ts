import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { serviceByName } from '../../../src/services/catalog.js';
import { storeContext } from '../../../src/services/operations.js';
import { probeS3 } from '../../../src/services/s3/probe.js';
import type { StackContext } from '../../../src/services/service.js';

/**
 * The emulator-naming branch of the S3 probe. CI runs LocalStack (covered by the integration tests); this stands in
 * for moto's server, which answers ListBuckets but has no /_localstack/health, to show it is named, not failed.
 */
const LIST_BUCKETS = `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>x</ID></Owner>
<Buckets><Bucket><Name>apex-documents</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>
</ListAllMyBucketsResult>`;

describe('probeS3 against an emulator without LocalStack’s health endpoint', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.setHeader('Server', 'Werkzeug/3.1.3 Python/3.11.2');
      if (request.url === '/' || request.url?.startsWith('/?')) {
        response.setHeader('Content-Type', 'application/xml');
        response.end(LIST_BUCKETS);
      } else {
        response.statusCode = 404;
        response.end('<Error><Code>NoSuchBucket</Code></Error>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is healthy, and names moto', async () => {
    const config = configSchema.parse({ runtime: 'external', services: { s3: { ports: { http: port } } } });
    const credentials = { awsAccessKeyId: 'test', awsSecretAccessKey: 'test', awsRegion: 'us-east-1' };
    const stack = { config, credentials, projectDir: '/tmp', templatesDir: '/tmp' } as unknown as StackContext;
    const report = await probeS3(storeContext(stack, serviceByName('s3'), new AbortController().signal));
    expect(report).toEqual({
      version: undefined,
      detail: 'ListBuckets (1 bucket); moto (no /_localstack/health; server: Werkzeug/3.1.3 Python/3.11.2)',
    });
  });
});
