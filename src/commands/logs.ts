import { Args, Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { SERVICE_NAMES } from '../config/schema.js';
import { streamLogs } from '../stack/logs.js';

export default class Logs extends ApexCommand<void> {
  static override enableJsonFlag = false;
  static override summary = "Print a service's container logs (every service's, prefixed, without a name).";
  static override examples = ['<%= config.bin %> logs postgres --tail 50', '<%= config.bin %> logs -f', '<%= config.bin %> logs temporal --since 10m'];

  static override args = {
    service: Args.string({ description: 'The service.', options: [...SERVICE_NAMES], required: false }),
  };

  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'Keep printing new lines.', default: false }),
    since: Flags.string({ description: 'Only lines since a duration ago (10m, 2h) or a date.' }),
    tail: Flags.integer({ description: 'Only the last N lines of each container.', min: 0 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Logs);
    await streamLogs({ configFile: flags.config }, { service: args.service, follow: flags.follow, since: flags.since, tail: flags.tail }, process.stdout);
  }
}
