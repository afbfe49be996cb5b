import { existsSync } from 'node:fs';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { generatedEnv, missingGeneratedEnv } from '../config/credentials.js';
import type { Progress } from '../ui/progress.js';
import { appendGeneratedEnv, writeGeneratedEnv } from './env-file.js';
import type { UpOptions } from './up.js';

export interface PendingEnvFile {
  /** The environment to load the stack from: the generated passwords under the process's own variables. */
  env: NodeJS.ProcessEnv;
  /** Writes the generated passwords to .env (once; nothing when none is missing or the runtime is external). */
  write: () => void;
  /** What the write did: created .env, or added these keys to the existing one. */
  outcome: { created: boolean; keysAdded: string[] };
}

/**
 * The docker runtime's first `up` generates the passwords, but writes .env only once the preflight has passed and
 * just before a container gets them: a failed preflight leaves nothing behind. A .env that lacks some passwords
 * (written by hand, or before apex knew a service) gets only those added; the passwords in it are kept.
 */
export function pendingEnvFile(loadOptions: LoadOptions, options: UpOptions, progress: Progress): PendingEnvFile {
  const { envFile, config, env } = loadConfig(loadOptions);
  const processEnv = loadOptions.processEnv ?? process.env;
  const pending: PendingEnvFile = { env: processEnv, write: () => undefined, outcome: { created: false, keysAdded: [] } };
  if ((options.runtime ?? config.runtime) === 'external') return pending;
  const exists = existsSync(envFile);
  const generated = exists ? missingGeneratedEnv(env) : generatedEnv();
  if (Object.keys(generated).length === 0) return pending;
  let written = false;
  pending.env = { ...generated, ...processEnv };
  pending.write = () => {
    if (written) return;
    written = true;
    if (exists) {
      appendGeneratedEnv(envFile, generated);
      pending.outcome = { created: false, keysAdded: Object.keys(generated) };
      progress.done(`Added ${pending.outcome.keysAdded.join(', ')} to ${envFile} (generated; the values there are kept)`);
    } else {
      writeGeneratedEnv(envFile, generated);
      pending.outcome = { created: true, keysAdded: [] };
      progress.done(`Wrote ${envFile} with generated passwords (mode 0600)`);
    }
  };
  return pending;
}
