import { generatedEnv } from '../config/credentials.js';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { loadStack } from '../config/stack-context.js';
import { ApexError, usageError } from '../errors.js';
import { planContainer } from '../runtime/docker/container-plan.js';
import { DockerStack, type TeardownResult } from '../runtime/docker/docker-stack.js';
import { connectDocker } from '../runtime/docker/engine.js';
import { withProjectLock } from '../runtime/project-lock.js';
import { SERVICES } from '../services/catalog.js';
import { silentProgress, type Progress } from '../ui/progress.js';

export interface DownOptions {
  volumes: boolean;
  yes: boolean;
  /** Asks the person at the terminal; undefined when there is none. */
  confirm?: (question: string) => Promise<boolean>;
  /** Where it says that it waits for another command on the project. */
  progress?: Progress;
}

export interface DownResult extends TeardownResult {
  apiVersion: 1;
  project: string;
  dataKept: boolean;
}

/**
 * Removes the project's containers and network by label; with --volumes, confirmed, every volume the stack's
 * service definitions mount, labelled or not. It waits for an `up` or `reset` on the project, but not for a
 * `test phase`: stopping the stack under a phase is how a phase is interrupted.
 */
export async function runDown(loadOptions: LoadOptions, options: DownOptions): Promise<DownResult> {
  // Config only: removing or reading containers needs no credentials (a lost .env must not block teardown).
  const { config, projectDir } = loadConfig(loadOptions);
  if (config.runtime === 'external') {
    throw usageError(
      '`apex down` removes containers, but runtime is external: apex started nothing.',
      'Stop your own servers yourself, or set `runtime: docker`.',
    );
  }
  if (options.volumes && !options.yes) {
    if (!options.confirm) {
      throw usageError(
        '`apex down --volumes` deletes every database of the stack and needs confirmation.',
        'Add --yes to confirm: `apex down --volumes --yes`.',
      );
    }
    if (!(await options.confirm(`Delete all data of project ${config.project} (its docker volumes)?`))) {
      throw new ApexError('ABORTED', 'Nothing was removed.', 'Run `apex down` to stop the stack and keep the data.', 1);
    }
  }
  const progress = options.progress ?? silentProgress;
  return withProjectLock(projectDir, { command: 'apex down', onWait: (message) => progress.warn(message), runsBeside: ['apex test phase'] }, async () => {
    const engine = await connectDocker();
    const removed = await new DockerStack(engine.client, config.project).teardown({ volumes: options.volumes && mountedVolumes(loadOptions) });
    return { apiVersion: 1, project: config.project, dataKept: !options.volumes, ...removed };
  });
}

/** Every named volume the service definitions mount in this project. Passwords name no volume: placeholders stand in for a lost .env. */
function mountedVolumes(loadOptions: LoadOptions): string[] {
  const { stack } = loadStack({ ...loadOptions, runtime: 'docker', processEnv: { ...generatedEnv(), ...(loadOptions.processEnv ?? process.env) } });
  return [...new Set(SERVICES.flatMap((service) => planContainer(stack, service).volumes))];
}
