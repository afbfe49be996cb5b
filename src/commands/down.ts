import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { runDown, type DownResult } from '../stack/down.js';
import { terminalConfirm } from '../ui/ask.js';
import { createProgress } from '../ui/progress.js';

export default class Down extends ApexCommand<DownResult> {
  static override summary = "Stop and remove the stack's containers and network; keep the data unless --volumes.";
  static override examples = ['<%= config.bin %> down', '<%= config.bin %> down --volumes --yes   # also delete every database'];

  static override flags = {
    volumes: Flags.boolean({ description: 'Also delete the named volumes (all data). Asks first on a terminal.', default: false }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask; needed for --volumes when not on a terminal.', default: false }),
  };

  async run(): Promise<DownResult> {
    const { flags } = await this.parse(Down);
    const result = await runDown(
      { configFile: flags.config },
      {
        volumes: flags.volumes,
        yes: flags.yes,
        confirm: this.jsonEnabled() ? undefined : terminalConfirm(),
        progress: createProgress({ quiet: this.jsonEnabled() }),
      },
    );
    if (!this.jsonEnabled()) {
      this.log(`Removed ${result.containers.length} containers${result.networks.length ? ' and the network' : ''} of ${result.project}.`);
      this.log(
        result.dataKept
          ? 'Data kept (apex down --volumes deletes it).'
          : `Deleted ${result.volumes.length} volumes${result.volumes.length ? `: ${result.volumes.join(', ')}` : ''}.`,
      );
    }
    return result;
  }
}
