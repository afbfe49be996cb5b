import type { ServiceDefinition, StackContext } from '../service.js';

/** The last LocalStack line that runs without an auth token (4.15 and later, and `latest` since 2026-03-23, exit with code 55 without one). */
export const LOCALSTACK_IMAGE = 'localstack/localstack:4.14.0';
export const MINIO_IMAGE = 'minio/minio:RELEASE.2025-09-07T16-13-09Z';

export const s3Provider = (ctx: StackContext): 'localstack' | 'minio' => ctx.config.services.s3?.provider ?? 'localstack';

export const s3: ServiceDefinition = {
  name: 's3',
  profile: 'core',
  defaultImage: LOCALSTACK_IMAGE,
  ports: [{ name: 'http', container: 4566, host: 4566, scheme: 'http' }],
  dependsOn: [],
  memoryMb: 400,
  healthTimeoutSeconds: 90,
  container: (ctx) => {
    const override = ctx.config.services.s3?.image;
    if (s3Provider(ctx) === 'minio') {
      return {
        image: override ?? MINIO_IMAGE,
        command: ['server', '/data', '--address', ':4566', '--console-address', ':9001'],
        env: {
          MINIO_ROOT_USER: ctx.credentials.awsAccessKeyId,
          MINIO_ROOT_PASSWORD: ctx.credentials.awsSecretAccessKey,
        },
        volumes: [{ volume: 's3-data', target: '/data' }],
        binds: [],
      };
    }
    const env: Record<string, string> = { SERVICES: 's3', AWS_DEFAULT_REGION: ctx.credentials.awsRegion };
    const token = ctx.env.LOCALSTACK_AUTH_TOKEN;
    if (token) env.LOCALSTACK_AUTH_TOKEN = token;
    return {
      image: override ?? LOCALSTACK_IMAGE,
      env,
      volumes: [{ volume: 's3-data', target: '/var/lib/localstack' }],
      binds: [],
    };
  },
};
