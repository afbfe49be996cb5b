import { S3Client } from '../../vendor/s3-client.js';
import type { Credentials } from '../../config/credentials.js';
import { httpBaseUrl } from '../http-probe.js';
import type { ServiceEndpoint } from '../service.js';

export function createS3Client(endpoint: ServiceEndpoint, credentials: Credentials): S3Client {
  // The SDK warns on every run that its 2027 releases will need Node 22; apex pins the SDK and supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint: httpBaseUrl(endpoint),
    region: credentials.awsRegion,
    // Emulators serve buckets by path, not by virtual host.
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.awsAccessKeyId, secretAccessKey: credentials.awsSecretAccessKey },
    maxAttempts: 2,
  });
}
