import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { runInit, type InitResult } from '../stack/init.js';

export default class Init extends ApexCommand<InitResult> {
  static override summary = 'Write apex.config.yaml (every key, commented) and .env (random passwords, mode 0600).';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --force   # overwrite both'];

  static override flags = {
    force: Flags.boolean({ description: 'Overwrite existing apex.config.yaml and .env.', default: false }),
  };

  async run(): Promise<InitResult> {
    const { flags } = await this.parse(Init);
    const result = runInit(process.cwd(), { force: flags.force });
    if (!this.jsonEnabled()) this.log(`Wrote ${result.configFile} and ${result.envFile} (mode 0600). Next: apex up`);
    return result;
  }
}
