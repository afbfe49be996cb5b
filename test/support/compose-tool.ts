import { execa } from 'execa';
import { skipOrFail } from './docker-gate.js';

/**
 * Debian's docker-compose (v1.29): the docker e2e tests check what apex starts and renders against a real compose.
 * A test tool, not an apex dependency (test/provision/provision.sh installs it in CI).
 */
const COMPOSE_TOOL = 'docker-compose';

export function runCompose(cwd: string, args: readonly string[]) {
  return execa(COMPOSE_TOOL, args, { cwd, reject: false, stdin: 'ignore' });
}

/** Why the plain-compose checks cannot run here, or undefined when they can. */
export async function missingComposeTool(): Promise<string | undefined> {
  const version = await runCompose(process.cwd(), ['version', '--short']);
  const reason = version.exitCode === 0 ? undefined : `${COMPOSE_TOOL} is not installed (apt-get install docker-compose)`;
  return skipOrFail('the plain docker-compose checks', reason);
}
