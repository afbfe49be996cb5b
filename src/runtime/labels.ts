/**
 * Label keys and names in one place. Containers carry compose's own labels so that
 * `docker compose -p <project> ps` lists them, plus apex's own for teardown by filter.
 */
export const LABELS = {
  composeProject: 'com.docker.compose.project',
  composeService: 'com.docker.compose.service',
  composeOneoff: 'com.docker.compose.oneoff',
  composeContainerNumber: 'com.docker.compose.container-number',
  composeVolume: 'com.docker.compose.volume',
  composeNetwork: 'com.docker.compose.network',
  managedBy: 'dev.apex.managed-by',
  configHash: 'dev.apex.config-hash',
  /** On `--ephemeral` stacks only: the pid of the apex run that owns it, for the leftover sweep. */
  ephemeralOwnerPid: 'dev.apex.ephemeral-owner-pid',
} as const;

export const MANAGED_BY = 'apex';

export const containerName = (project: string, service: string): string => `${project}-${service}-1`;
export const volumeName = (project: string, volume: string): string => `${project}_${volume}`;
export const networkName = (project: string): string => `${project}_default`;

export const projectFilter = (project: string): { label: string[] } => ({
  label: [`${LABELS.composeProject}=${project}`],
});
