import { secretValues } from '../config/credentials.js';
import type { LoadedStack } from '../config/stack-context.js';
import { ApexError } from '../errors.js';
import { lastLogLines } from '../runtime/docker/container-logs.js';
import { planContainer } from '../runtime/docker/container-plan.js';
import type { DockerStack } from '../runtime/docker/docker-stack.js';
import type { UnusableVolume } from '../runtime/docker/volume-check.js';
import type { WaitOutcome } from '../runtime/wait-healthy.js';
import type { ServiceDefinition } from '../services/service.js';
import { redactSecrets } from '../ui/mask.js';

const LOG_LINES_ON_FAILURE = 25;

/** Services that refused the passwords in .env: usually a data volume created with other ones. */
export function rejectedError(loaded: LoadedStack, outcome: WaitOutcome): ApexError | undefined {
  const rejected = outcome.unhealthy.flatMap(({ service, last }) => (last.rejected ? [{ service: service.name, detail: last.detail, ...last.rejected }] : []));
  if (rejected.length === 0) return undefined;
  const secrets = secretValues(loaded.stack.credentials);
  return new ApexError(
    'CREDENTIALS_REJECTED',
    `${rejected.map((entry) => `${entry.service} rejected ${entry.key} from ${loaded.envFile}`).join('; ')}.`,
    rejected.map((entry) => entry.fix).join('\n'),
    1,
    rejected.map((entry) => redactSecrets(entry.detail, secrets)),
  );
}

/** Data volumes whose data the services' images cannot use: which volume, what is in it, and how to start afresh. */
export function unusableVolumesError(loaded: LoadedStack, unusable: readonly UnusableVolume[]): ApexError {
  const names = unusable.map((entry) => entry.volume);
  const services = [...new Set(unusable.map((entry) => entry.service))];
  return new ApexError(
    'VOLUME_INCOMPATIBLE',
    unusable.map((entry) => `${entry.service} cannot use volume ${entry.volume}: it holds ${entry.found}.`).join(' '),
    `To start with empty data, delete ${names.length === 1 ? 'it' : 'them'} (\`docker volume rm ${names.join(' ')}\`, or every volume of the stack: ` +
      `\`apex down --volumes --yes\`) and run \`apex up\` again. To keep the data, set ${services.map((service) => `\`services.${service}.image\``).join(', ')} ` +
      `in ${loaded.configFile ?? 'apex.config.yaml'} to an image that can read it.`,
    1,
  );
}

/** The first unhealthy service's health output and last log lines (secrets redacted), and how to go on. */
export async function unhealthyError(
  stack: DockerStack,
  loaded: LoadedStack,
  outcome: WaitOutcome,
  timeoutSeconds: (service: ServiceDefinition) => number,
): Promise<ApexError> {
  const details: string[] = [];
  for (const { service, last, fatal } of outcome.unhealthy) {
    const plan = planContainer(loaded.stack, service);
    const lines = await lastLogLines(stack.engine.containers, plan.name, LOG_LINES_ON_FAILURE).catch(() => []);
    details.push(
      `${service.name}: ${fatal ? last.detail : `not healthy after ${timeoutSeconds(service)} s: ${last.detail}`}`,
      `last ${lines.length} log lines of ${plan.name}:`,
      ...lines.map((line) => `  ${redactSecrets(line, secretValues(loaded.stack.credentials))}`),
    );
  }
  const names = outcome.unhealthy.map((entry) => entry.service.name);
  const first = names[0];
  return new ApexError(
    'SERVICE_UNHEALTHY',
    `${names.join(', ')} did not become healthy.`,
    `Read the log lines above (\`apex logs ${first}\`). If it is only slow, raise \`services.${first}.healthTimeoutSeconds\` ` +
      'in apex.config.yaml (or pass --timeout) and run `apex up` again; `apex down` removes what was started.',
    1,
    details,
  );
}
