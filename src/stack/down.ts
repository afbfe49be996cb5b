import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { ApexError, usageError } from '../errors.js';
import { DockerStack, type TeardownResult } from '../runtime/docker/docker-stack.js';
import { connectDocker } from '../runtime/docker/engine.js';

export interface DownOptions {
  volumes: boolean;
  yes: boolean;
  /** Asks the person at the terminal; undefined when there is none. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface DownResult extends TeardownResult {
  apiVersion: 1;
  project: string;
  dataKept: boolean;
}

/** Removes the project's containers and network by label; its volumes only with --volumes, confirmed. */
export async function runDown(loadOptions: LoadOptions, options: DownOptions): Promise<DownResult> {
  // Config only: removing or reading containers needs no credentials (a lost .env must not block teardown).
  const { config } = loadConfig(loadOptions);
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
  const engine = await connectDocker();
  const removed = await new DockerStack(engine.client, config.project).teardown({ volumes: options.volumes });
  return { apiVersion: 1, project: config.project, dataKept: !options.volumes, ...removed };
}
