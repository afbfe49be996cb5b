import { ApexCommand } from '../../cli/apex-command.js';
import { loadConfig } from '../../config/load-config.js';
import { phaseList, type PhaseList } from '../../phases/registry.js';

export default class TestList extends ApexCommand<PhaseList> {
  static override summary = 'List the load-test phases, their tests, the worker contract they drive, and their config keys with defaults.';
  static override examples = ['<%= config.bin %> test list', '<%= config.bin %> test list --json'];

  async run(): Promise<PhaseList> {
    const { flags } = await this.parse(TestList);
    const list = phaseList(loadConfig({ configFile: flags.config }).config.contract);
    if (!this.jsonEnabled()) {
      for (const phase of list.phases) {
        this.log(`${phase.id}  ${phase.title}  (needs ${phase.services.join(', ')}; worker contract: ${phase.contract})`);
        for (const test of phase.tests) this.log(`    ${test.name}  ${test.description}`);
        this.log(
          `    config phases.${phase.id}: ${Object.entries(phase.thresholds)
            .map(([key, value]) => `${key}=${String(value)}`)
            .join(', ')}`,
        );
      }
    }
    return list;
  }
}
