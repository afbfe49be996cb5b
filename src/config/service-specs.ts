import { z } from 'zod';

export const PROFILES = ['core', 'observability'] as const;
export type Profile = (typeof PROFILES)[number];

export interface PortSpec {
  /** Stable name used in config (`services.<name>.ports.<port>`) and output. */
  name: string;
  container: number;
  /** Default published host port. */
  host: number;
  /** How people reach it, e.g. "http" prints http://host:port. */
  scheme: 'http' | 'tcp' | 'grpc' | 'bolt' | 'postgresql' | 'redis';
  /** A web UI meant for a browser. */
  ui?: boolean;
}

/** A .env key a service reads. */
export interface CredentialSpec {
  key: string;
  /** The value when the key is unset; without one, the docker runtime requires the key. */
  default?: string;
  /** `apex init` (or the first `apex up`) writes a fresh random value. A generated value is a secret. */
  generated?: true;
  /** Redacted from output and reports. */
  secret?: true;
  /** Shown by `apex status` under this label; masked there when generated, secret or `masked`. */
  label?: string;
  /** Masked by `apex status`, though not redacted from output (a fixed default, such as LocalStack's "test"). */
  masked?: true;
}

/**
 * What apex knows of a service before it runs anything: the defaults that `services.<name>` in the config overrides,
 * and the .env keys it reads. Data only, so that the config schema and the credentials derive from it; each
 * service's module in src/services adds its container and its operations.
 */
export interface ServiceSpec {
  profile: Profile;
  defaultImage: string;
  ports: readonly PortSpec[];
  dependsOn: readonly string[];
  /** Rough resident memory, for doctor's capacity check. */
  memoryMb: number;
  healthTimeoutSeconds: number;
  credentials: Readonly<Record<string, CredentialSpec>>;
  /** Config keys of `services.<name>` besides the ones every service has. */
  settings?: z.ZodRawShape;
}

/** The last LocalStack line that runs without an auth token (4.15 and later, and `latest` since 2026-03-23, exit with code 55 without one). */
export const LOCALSTACK_IMAGE = 'localstack/localstack:4.14.0';

/** Every service apex knows, in a stable order. The one list everything else derives from. */
export const SERVICE_SPECS = {
  temporal: {
    profile: 'core',
    defaultImage: 'temporalio/temporal:1.5.1',
    ports: [
      { name: 'grpc', container: 7233, host: 7233, scheme: 'grpc' },
      { name: 'ui', container: 8233, host: 8233, scheme: 'http', ui: true },
      { name: 'metrics', container: 9000, host: 9000, scheme: 'http' },
    ],
    dependsOn: [],
    memoryMb: 300,
    healthTimeoutSeconds: 90,
    // Temporal Cloud's API key, sent on the external runtime only (the dev server apex starts checks none).
    credentials: { temporalApiKey: { key: 'TEMPORAL_API_KEY', default: '', secret: true, label: 'api key' } },
  },
  postgres: {
    profile: 'core',
    defaultImage: 'postgres:16-alpine',
    ports: [{ name: 'postgres', container: 5432, host: 5432, scheme: 'postgresql' }],
    dependsOn: [],
    memoryMb: 200,
    healthTimeoutSeconds: 60,
    credentials: {
      postgresUser: { key: 'POSTGRES_USER', default: 'apex', label: 'user' },
      postgresPassword: { key: 'POSTGRES_PASSWORD', generated: true, label: 'password' },
      postgresDb: { key: 'POSTGRES_DB', default: 'apex', label: 'database' },
    },
  },
  neo4j: {
    profile: 'core',
    defaultImage: 'neo4j:5.26-community',
    ports: [
      { name: 'bolt', container: 7687, host: 7687, scheme: 'bolt' },
      { name: 'http', container: 7474, host: 7474, scheme: 'http', ui: true },
    ],
    dependsOn: [],
    memoryMb: 1024,
    healthTimeoutSeconds: 120,
    credentials: {
      neo4jUser: { key: 'NEO4J_USER', default: 'neo4j', label: 'user' },
      neo4jPassword: { key: 'NEO4J_PASSWORD', generated: true, label: 'password' },
    },
  },
  qdrant: {
    profile: 'core',
    defaultImage: 'qdrant/qdrant:v1.15.1',
    ports: [{ name: 'http', container: 6333, host: 6333, scheme: 'http' }],
    dependsOn: [],
    memoryMb: 200,
    healthTimeoutSeconds: 60,
    credentials: { qdrantApiKey: { key: 'QDRANT_API_KEY', default: '', secret: true, label: 'api key' } },
  },
  redis: {
    profile: 'core',
    defaultImage: 'redis:7.4-alpine',
    ports: [{ name: 'redis', container: 6379, host: 6379, scheme: 'redis' }],
    dependsOn: [],
    memoryMb: 100,
    healthTimeoutSeconds: 30,
    credentials: { redisPassword: { key: 'REDIS_PASSWORD', generated: true, label: 'password' } },
  },
  s3: {
    profile: 'core',
    defaultImage: LOCALSTACK_IMAGE,
    ports: [{ name: 'http', container: 4566, host: 4566, scheme: 'http' }],
    dependsOn: [],
    memoryMb: 400,
    healthTimeoutSeconds: 90,
    // LocalStack ignores its credentials; MinIO takes them as its root user.
    credentials: {
      awsAccessKeyId: { key: 'AWS_ACCESS_KEY_ID', default: 'test', label: 'access key' },
      awsSecretAccessKey: { key: 'AWS_SECRET_ACCESS_KEY', default: 'test', label: 'secret key', masked: true },
      awsRegion: { key: 'AWS_DEFAULT_REGION', default: 'us-east-1' },
    },
    settings: { provider: z.enum(['localstack', 'minio']).optional() },
  },
  alertmanager: {
    profile: 'observability',
    defaultImage: 'prom/alertmanager:v0.28.1',
    ports: [{ name: 'http', container: 9093, host: 9093, scheme: 'http', ui: true }],
    dependsOn: [],
    memoryMb: 50,
    healthTimeoutSeconds: 30,
    credentials: {},
  },
  prometheus: {
    profile: 'observability',
    defaultImage: 'prom/prometheus:v3.5.0',
    ports: [{ name: 'http', container: 9090, host: 9090, scheme: 'http', ui: true }],
    dependsOn: ['temporal', 'alertmanager'],
    memoryMb: 300,
    healthTimeoutSeconds: 60,
    credentials: {},
  },
  grafana: {
    profile: 'observability',
    defaultImage: 'grafana/grafana:12.1.1',
    ports: [{ name: 'http', container: 3000, host: 3000, scheme: 'http', ui: true }],
    dependsOn: ['prometheus'],
    memoryMb: 200,
    healthTimeoutSeconds: 60,
    credentials: { grafanaPassword: { key: 'GRAFANA_ADMIN_PASSWORD', generated: true, label: 'password (user admin)' } },
  },
} as const satisfies Record<string, ServiceSpec>;

export type ServiceName = keyof typeof SERVICE_SPECS;
export const SERVICE_NAMES = Object.keys(SERVICE_SPECS) as ServiceName[];

/** The credential names (`ctx.credentials.<name>`) every service declares. */
export type CredentialName = { [N in ServiceName]: keyof (typeof SERVICE_SPECS)[N]['credentials'] }[ServiceName];
