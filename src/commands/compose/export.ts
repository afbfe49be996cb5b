import { Flags } from '@oclif/core';
import { ApexCommand } from '../../cli/apex-command.js';
import { exportCompose, type ComposeExportResult } from '../../stack/compose-export.js';

export default class ComposeExport extends ApexCommand<ComposeExportResult> {
  static override summary = 'Render docker-compose.yml from the stack model, for plain `docker compose`.';
  static override examples = [
    '<%= config.bin %> compose export',
    '<%= config.bin %> compose export --output -   # print to stdout',
  ];

  static override flags = {
    output: Flags.string({ char: 'o', description: 'Where to write it; "-" prints it.', default: 'compose/docker-compose.yml' }),
  };

  async run(): Promise<ComposeExportResult> {
    const { flags } = await this.parse(ComposeExport);
    const result = exportCompose({ configFile: flags.config }, flags.output);
    if (flags.output === '-') this.log(result.content.trimEnd());
    else if (!this.jsonEnabled()) this.log(`Wrote ${result.output} (${result.services.length} services).`);
    return result;
  }
}
