import { S3Client } from '@aws-sdk/client-s3';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

export const s3EndpointUrl = (endpoint: ServiceEndpoint): string =>
  `${endpoint.tls?.enabled ? 'https' : 'http'}://${endpoint.host}:${endpoint.ports.http}`;

export function createS3Client(endpoint: ServiceEndpoint, credentials: Credentials): S3Client {
  return new S3Client({
    endpoint: s3EndpointUrl(endpoint),
    region: credentials.awsRegion,
    // Emulators serve buckets by path, not by virtual host.
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.awsAccessKeyId, secretAccessKey: credentials.awsSecretAccessKey },
    maxAttempts: 2,
  });
}
