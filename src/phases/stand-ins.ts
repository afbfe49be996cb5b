import type { LoadedStack } from '../config/stack-context.js';
import type { PhaseRunResult } from '../results/run-result.js';
import { serviceByName } from '../services/catalog.js';
import { checkHealth } from '../services/health.js';
import type { ServiceName } from '../services/service.js';

export type StandIn = PhaseRunResult['environment']['standIns'][number];

/** The phase's services that a stand-in answers rather than the real server, as their probes name them. */
export async function standInsOf(loaded: LoadedStack, services: readonly ServiceName[]): Promise<StandIn[]> {
  const health = await checkHealth(loaded.stack, services.map(serviceByName), { timeoutMs: 1_500 });
  return health.flatMap((probe) => (probe.standIn ? [{ service: probe.service, server: probe.standIn }] : []));
}
