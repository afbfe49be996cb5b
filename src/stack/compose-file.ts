import { Scalar, stringify } from 'yaml';
import { CREDENTIAL_KEYS, GENERATED_CREDENTIALS, readCredentials, type CredentialName, type Credentials } from '../config/credentials.js';
import type { ApexConfig } from '../config/schema.js';
import { publishedPorts } from '../runtime/docker/container-plan.js';
import { SERVICES, dependencyOrder } from '../services/catalog.js';
import type { ContainerHealthcheck, ServiceDefinition, StackContext } from '../services/service.js';

export const COMPOSE_FILE = 'compose/docker-compose.yml';
/** Bind-mount sources are written relative to compose/, where the file lives. */
const TEMPLATES_FROM_COMPOSE_DIR = '../templates';

/**
 * No top-level `name:`: docker-compose 1.29 (Debian's) rejects it, so the usage passes the project with -p,
 * which compose v1 and v2 both honour.
 */
const header = (project: string): string =>
  '# Rendered by `apex compose export` from the service definitions in src/services. Do not edit by hand:\n' +
  '# change the definitions and run `apex compose export`. Credentials come from ../.env (`apex init` writes it).\n' +
  `# Usage: docker compose -p ${project} --env-file .env -f compose/docker-compose.yml [--profile observability] up -d\n` +
  '# (or docker-compose, v1.29, with the same arguments)\n';

/**
 * Credentials as compose variable references, so that no secret is ever written into the file:
 * generated ones are required (`${POSTGRES_PASSWORD:?…}`), fixed ones fall back to apex's default.
 */
function credentialReferences(): Credentials {
  const generated = Object.fromEntries(GENERATED_CREDENTIALS.map((name) => [CREDENTIAL_KEYS[name], 'generated']));
  const defaults = readCredentials(generated, '.env');
  const references = {} as Credentials;
  for (const [name, key] of Object.entries(CREDENTIAL_KEYS) as [CredentialName, string][]) {
    if (GENERATED_CREDENTIALS.includes(name)) references[name] = `\${${key}:?set ${key} in .env (apex init writes it)}`;
    else references[name] = defaults[name] === '' ? '' : `\${${key}:-${defaults[name]}}`;
  }
  return references;
}

/** Every variable a definition passes through from the environment, as an optional compose reference: the file never holds its value. */
const environmentReferences: Readonly<Record<string, string>> = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? `\${${key}:-}` : undefined) });

/** Compose interpolates `$` everywhere; commands that read the container's own environment need `$$`. */
const escapeDollars = (values: readonly string[] | undefined): string[] | undefined => values?.map((value) => value.replaceAll('$', '$$$$'));

/** Compose's docs quote port mappings: unquoted "a:b" can read as a base-60 number in YAML 1.1. */
function quoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

const duration = (seconds: number): string => `${seconds}s`;

function healthcheck(check: ContainerHealthcheck | undefined): Record<string, unknown> | undefined {
  if (!check) return undefined;
  return {
    test: escapeDollars(check.test),
    interval: duration(check.intervalSeconds),
    timeout: duration(check.timeoutSeconds),
    retries: check.retries,
    start_period: duration(check.startPeriodSeconds),
  };
}

/** `templatesDir` as seen from the directory the file is written to. */
export function renderCompose(config: ApexConfig, templatesDir = TEMPLATES_FROM_COMPOSE_DIR, services: readonly ServiceDefinition[] = SERVICES): string {
  const ctx: StackContext = { config, credentials: credentialReferences(), env: environmentReferences, projectDir: '.', templatesDir };
  const ordered = dependencyOrder(services);
  const volumes = new Set<string>();
  const rendered: Record<string, unknown> = {};
  for (const service of ordered) {
    const spec = service.container(ctx);
    const env = spec.env;
    spec.volumes.forEach((mount) => volumes.add(mount.volume));
    const dependsOn = Object.fromEntries(
      service.dependsOn.map((name) => {
        const dependency = SERVICES.find((candidate) => candidate.name === name)!;
        return [name, { condition: dependency.container(ctx).healthcheck ? 'service_healthy' : 'service_started' }];
      }),
    );
    rendered[service.name] = prune({
      image: spec.image,
      profiles: service.profile === 'core' ? undefined : [service.profile],
      entrypoint: escapeDollars(spec.entrypoint),
      command: escapeDollars(spec.command),
      environment: Object.keys(env).length > 0 ? env : undefined,
      ports: publishedPorts(config, service).map((port) => quoted(`${port.bindAddress}:${port.host}:${port.container}`)),
      volumes: [
        ...spec.volumes.map((mount) => `${mount.volume}:${mount.target}`),
        ...spec.binds.map((mount) => `${mount.source}:${mount.target}${mount.readOnly ? ':ro' : ''}`),
      ],
      healthcheck: healthcheck(spec.healthcheck),
      extra_hosts: spec.extraHosts,
      depends_on: Object.keys(dependsOn).length > 0 ? dependsOn : undefined,
    });
  }
  const document = {
    services: rendered,
    volumes: Object.fromEntries([...volumes].map((volume) => [volume, {}])),
  };
  return header(config.project) + stringify(document, { lineWidth: 0 });
}

function prune(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
}

export interface ComposeExportResult {
  apiVersion: 1;
  output: string;
  services: string[];
  content: string;
}
