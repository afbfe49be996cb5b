import { z } from 'zod';
import { contractSetting, selectContract } from '../contracts/select.js';
import { PROFILES, SERVICE_NAMES, SERVICE_SPECS, type PortSpec, type ServiceName, type ServiceSpec } from './service-specs.js';

export { PROFILES, SERVICE_NAMES, type Profile, type ServiceName } from './service-specs.js';

const port = z.number().int().min(1).max(65535);

const serviceSettings = z
  .object({
    /** Docker runtime: replace the pinned image (e.g. a mirror or a locally built one). */
    image: z.string().min(1).optional(),
    /** External runtime: where the service already runs. */
    host: z.string().min(1).optional(),
    /** External runtime: use TLS to reach the service. */
    tls: z
      .object({
        enabled: z.boolean().default(true),
        caFile: z.string().optional(),
        certFile: z.string().optional(),
        keyFile: z.string().optional(),
        serverName: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Seconds to wait for the service to become healthy. */
    healthTimeoutSeconds: z.number().int().positive().optional(),
  })
  .strict();

/** `services.<name>`: the keys every service has, its own port names, and the keys its spec adds. */
const settingsFor = <Extra extends z.ZodRawShape>(ports: readonly PortSpec[], extra: Extra) =>
  serviceSettings
    .extend({
      /** Host ports by port name (see `apex status`), e.g. { grpc: 17233 }. */
      ports: z
        .object(Object.fromEntries(ports.map((spec) => [spec.name, port.optional()])) as Record<string, z.ZodOptional<typeof port>>)
        .strict()
        .optional(),
      ...extra,
    })
    .strict();

type ExtraSettings<N extends ServiceName> = (typeof SERVICE_SPECS)[N] extends { settings: infer Extra extends z.ZodRawShape } ? Extra : Record<never, never>;
type ServicesShape = { [N in ServiceName]: z.ZodOptional<ReturnType<typeof settingsFor<ExtraSettings<N>>>> };

const servicesSchema = z
  .object(
    Object.fromEntries(
      SERVICE_NAMES.map((name) => {
        const spec: ServiceSpec = SERVICE_SPECS[name];
        return [name, settingsFor(spec.ports, spec.settings ?? {}).optional()];
      }),
    ) as ServicesShape,
  )
  .strict();

const ingestionSchema = z
  .object({
    namespace: z.string().min(1).default('apex'),
    taskQueue: z.string().min(1).default('apex-ingestion'),
    workflowType: z.string().min(1).default('DocumentIngestionWorkflow'),
    bucket: z.string().min(3).default('apex-documents'),
    testBucket: z.string().min(3).default('apex-documents-test'),
    qdrantCollection: z.string().min(1).default('apex_chunks'),
    redisPrefix: z.string().min(1).default('apex:'),
    /** Where `apex worker` serves the Temporal SDK runtime's Prometheus metrics (host:port). */
    workerMetricsAddress: z.string().min(3).default('127.0.0.1:9464'),
    embeddings: z
      .object({
        provider: z.enum(['local', 'openai']).default('local'),
        model: z.string().default('text-embedding-3-small'),
        baseUrl: z.string().url().optional(),
        dimensions: z.number().int().positive().default(384),
      })
      .strict()
      .default({}),
  })
  .strict();

const schemaFiles = (ending: string) => z.array(z.string().refine((file) => file.endsWith(ending), `expected a file whose name ends in ${ending}`)).min(1);

/**
 * `schema`: the project's own schema and seed files per store, relative to the config file. `apex seed` applies
 * them once each, in the order listed, and records their checksums; apex's own migrations then leave that store's
 * database to them.
 */
export const projectSchemaSchema = z
  .object({
    postgres: schemaFiles('.sql').optional(),
    neo4j: schemaFiles('.cypher').optional(),
    /** A YAML or JSON file: `collections: [{name, size, distance}]`. */
    qdrant: z
      .string()
      .regex(/\.(ya?ml|json)$/, 'expected a YAML or JSON file (.yaml, .yml or .json)')
      .optional(),
    s3: z
      .object({ buckets: z.array(z.string().min(3)).min(1) })
      .strict()
      .optional(),
  })
  .strict();

export const configSchema = z
  .object({
    /** Names containers, volumes and the network: <project>_<service>. */
    project: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_", starting with a letter or digit')
      .default('apex'),
    runtime: z.enum(['docker', 'external']).default('docker'),
    /** Address published ports bind to. */
    bindAddress: z.string().ip().default('127.0.0.1'),
    /** Profiles started by `apex up` besides core. */
    profiles: z.array(z.enum(PROFILES)).default([]),
    services: servicesSchema.default({}),
    ingestion: ingestionSchema.default({}),
    /** Per-phase thresholds and sizes, keyed by phase id (2c, 2d, 2e, 2f). */
    phases: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /** The worker the phases drive: a built-in contract's name, or `{use: <name>, …overrides}`. */
    contract: contractSetting.default('reference'),
    schema: projectSchemaSchema.default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const clash of hostPortClashes(config)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: clash.path,
        message: `host port ${clash.port} is also ${clash.other.join('.')}${clash.otherIsDefault ? ' (its default)' : ''}; two services cannot publish one port`,
      });
    }
  })
  // The reference contract reads the `ingestion` keys `apex worker` serves, so both always agree.
  .transform((config, ctx) => {
    const selected = selectContract(config.contract, config.ingestion);
    if (selected.success) return { ...config, contract: selected.data };
    for (const issue of selected.error.issues) ctx.addIssue({ ...issue, path: ['contract', ...issue.path] });
    return z.NEVER;
  });

interface PortClash {
  /** The port key set in the config. */
  path: string[];
  port: number;
  /** The port key it collides with, set in the config or not. */
  other: string[];
  otherIsDefault: boolean;
}

type ServicesConfig = z.infer<typeof servicesSchema>;

/**
 * Host ports published twice on one address: on the docker runtime every service publishes on `bindAddress`, on
 * the external runtime each service is reached on its own `host`. Every service counts, whatever the profiles, since
 * `apex up --profile observability` starts more than the config names.
 */
function hostPortClashes(config: { runtime: 'docker' | 'external'; bindAddress: string; services: ServicesConfig }): PortClash[] {
  const taken = new Map<string, { path: string[]; isDefault: boolean }>();
  const clashes: PortClash[] = [];
  for (const name of SERVICE_NAMES) {
    const settings = config.services[name] as { host?: string; ports?: Record<string, number | undefined> } | undefined;
    const address = config.runtime === 'external' ? (settings?.host ?? '127.0.0.1') : config.bindAddress;
    for (const spec of SERVICE_SPECS[name].ports) {
      const set = settings?.ports?.[spec.name];
      const port = set ?? spec.host;
      const path = ['services', name, 'ports', spec.name];
      const other = taken.get(`${address}:${port}`);
      if (!other) taken.set(`${address}:${port}`, { path, isDefault: set === undefined });
      else if (set !== undefined || !other.isDefault) {
        // The error points at a key in the file; a default has none.
        const [own, theirs] = set !== undefined ? [{ path, isDefault: false }, other] : [other, { path, isDefault: true }];
        clashes.push({ path: own.path, port, other: theirs.path, otherIsDefault: theirs.isDefault });
      }
    }
  }
  return clashes;
}

export type ApexConfig = z.infer<typeof configSchema>;
export type ProjectSchema = z.infer<typeof projectSchemaSchema>;
export type ConfigInput = z.input<typeof configSchema>;
