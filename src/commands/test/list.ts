import { ApexCommand } from '../../cli/apex-command.js';
import { listPhases, type PhaseListing } from '../../phases/registry.js';

export default class TestList extends ApexCommand<{ phases: PhaseListing[] }> {
  static override summary = 'List the load-test phases, their tests, and their config keys with defaults.';
  static override examples = ['<%= config.bin %> test list', '<%= config.bin %> test list --json'];

  async run(): Promise<{ phases: PhaseListing[] }> {
    await this.parse(TestList);
    const phases = listPhases();
    if (!this.jsonEnabled()) {
      for (const phase of phases) {
        this.log(`${phase.id}  ${phase.title}  (needs ${phase.services.join(', ')})`);
        for (const test of phase.tests) this.log(`    ${test.name}  ${test.description}`);
        this.log(`    config phases.${phase.id}: ${Object.entries(phase.thresholds).map(([key, value]) => `${key}=${String(value)}`).join(', ')}`);
      }
    }
    return { phases };
  }
}
