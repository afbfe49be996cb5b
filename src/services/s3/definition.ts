import { defineService, storeEntry, type StackContext } from '../service.js';

export const MINIO_IMAGE = 'minio/minio:RELEASE.2025-09-07T16-13-09Z';

export const s3Provider = (ctx: StackContext): 'localstack' | 'minio' => ctx.config.services.s3?.provider ?? 'localstack';

export const s3 = defineService('s3', {
  container: (ctx) => {
    if (s3Provider(ctx) === 'minio') {
      return {
        image: MINIO_IMAGE,
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
    return { env, volumes: [{ volume: 's3-data', target: '/var/lib/localstack' }], binds: [] };
  },
  operations: storeEntry(['seed', 'clear'], async () => (await import('./operations.js')).s3Operations),
});
