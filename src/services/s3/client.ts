import { S3Client } from '../../vendor/s3-client.js';
import type { Credentials } from '../../config/credentials.js';
import type { ServiceEndpoint } from '../service.js';

export const s3EndpointUrl = (endpoint: ServiceEndpoint): string =>
  `${endpoint.tls?.enabled ? 'https' : 'http'}://${endpoint.host}:${endpoint.ports.http}`;

export function createS3Client(endpoint: ServiceEndpoint, credentials: Credentials): S3Client {
  // The SDK warns on every run that its 2027 releases will need Node 22; apex pins the SDK and supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint: s3EndpointUrl(endpoint),
    region: credentials.awsRegion,
    // Emulators serve buckets by path, not by virtual host.
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.awsAccessKeyId, secretAccessKey: credentials.awsSecretAccessKey },
    maxAttempts: 2,
  });
}
