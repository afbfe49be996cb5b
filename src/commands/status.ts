import { ApexCommand } from '../cli/apex-command.js';
import { runStatus, type StatusResult } from '../stack/status.js';
import { colorsFor } from '../ui/colors.js';
import { statusView } from '../ui/stack-views.js';

export default class Status extends ApexCommand<StatusResult> {
  static override summary = "Show each service's state, health, ports, uptime and image.";
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json'];

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const result = await runStatus({ configFile: flags.config });
    if (!this.jsonEnabled()) this.log(statusView(result, Boolean(process.stdout.isTTY), colorsFor(process.stdout)));
    return result;
  }
}
