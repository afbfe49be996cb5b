import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { ENV_FORMATS } from '../config/env-format.js';
import { runEnv, type EnvResult } from '../stack/env.js';

export default class Env extends ApexCommand<EnvResult> {
  static override summary = "Print the stack's connection settings under the variable names your worker reads. Prints passwords and keys.";
  static override description = [
    'This is the one apex command that prints secrets (passwords, access keys) in the clear: keep its output out of logs, CI output and commits.',
    "The names are the worker contract's `worker.env`; for apex-memory: POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, QDRANT_*, REDIS_*, S3_ENDPOINT_URL, AWS_*, APEX_DOCUMENTS_BUCKET and TEMPORAL_*. The values come from apex.config.yaml and .env, as `apex test phase` gives them to a contract's worker.",
    "A contract that declares no `worker.env` (the reference contract, apex's own worker) gets the apex-memory names, filled in with its own Temporal namespace, task queue and document bucket.",
    "A variable whose template takes a run's values ({runId}, {phase}, {prefix}, {folder}) is left out, and named on stderr.",
    'dotenv values are quoted so that dotenv parsers and `set -a; . ./file` read them alike (but for a value holding a single quote and a `$`, `"` or a backtick); export lines use POSIX single quotes. --output writes the file with mode 0600 (owner only), also when it existed.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> env',
    '<%= config.bin %> env --output .env.worker',
    '<%= config.bin %> env --format export   # eval "$(apex env --format export)"',
    '<%= config.bin %> env --format json',
    '<%= config.bin %> env --json',
  ];

  static override flags = {
    format: Flags.option({ options: ENV_FORMATS, default: 'dotenv', description: 'dotenv (KEY=value), export (shell lines) or json (one object).' })(),
    output: Flags.string({ char: 'o', description: 'Write to this file (mode 0600, owner only) instead of printing.' }),
  };

  async run(): Promise<EnvResult> {
    const { flags } = await this.parse(Env);
    const result = runEnv({ configFile: flags.config }, { format: flags.format, output: flags.output });
    if (this.jsonEnabled()) return result;
    if (result.perRun.length > 0) this.logToStderr(`Left out (set per run by \`apex test phase\`): ${result.perRun.join(', ')}.`);
    if (result.output) this.log(`Wrote ${Object.keys(result.variables).length} variables to ${result.output} (mode 0600: it holds passwords).`);
    else process.stdout.write(result.content);
    return result;
  }
}
