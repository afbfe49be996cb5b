import type { LoadedStack } from '../config/stack-context.js';
import { ApexError } from '../errors.js';
import { sharedFailureCode } from '../services/failure.js';
import { checkHealth } from '../services/health.js';
import type { ServiceDefinition } from '../services/service.js';
import type { StartOutcome, UpDependencies } from './up.js';

/** The external runtime starts nothing: it checks that every service answers. */
export async function upExternal(loaded: LoadedStack, services: ServiceDefinition[], deps: UpDependencies): Promise<StartOutcome> {
  deps.progress.step(`Checking ${services.length} external services`);
  const health = await checkHealth(loaded.stack, services);
  const failures = health.filter((result) => !result.ok);
  if (failures.length > 0) {
    throw new ApexError(
      sharedFailureCode(failures, 'SERVICE_UNREACHABLE'),
      `${failures.map((result) => result.service).join(', ')} ${failures.length > 1 ? 'do' : 'does'} not answer (runtime: external).`,
      failures.map((result) => `${result.service}: ${result.fix ?? 'check services.<name>.host and ports in apex.config.yaml'}`).join('\n'),
      1,
      failures.map((result) => `${result.service}: ${result.error ?? 'unhealthy'}`),
    );
  }
  return { unchanged: true, services: health.map((result) => ({ service: result.service, change: 'external', healthy: true })) };
}
