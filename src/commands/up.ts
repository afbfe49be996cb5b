import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { runtimeFlag } from '../cli/runtime-flag.js';
import { PROFILES, type Profile } from '../config/schema.js';
import { runUp, type UpResult } from '../stack/up.js';
import { createProgress } from '../ui/progress.js';
import { upView } from '../ui/stack-views.js';

export default class Up extends ApexCommand<UpResult> {
  static override summary = 'Start the stack, wait until every service is healthy, seed it, and print its endpoints.';
  static override description =
    "Runs doctor's quick checks first (Docker reachable, ports free, memory enough) and creates nothing when one " +
    'fails, not even .env (written with random passwords when there is none). A password that a service refuses ' +
    '(its volume was created with another) fails at once, with the fix. On a healthy stack it changes nothing.';
  static override examples = [
    '<%= config.bin %> up',
    '<%= config.bin %> up --only postgres,redis',
    '<%= config.bin %> up --profile observability --show-secrets',
    '<%= config.bin %> up --runtime external   # check and seed servers you run yourself',
  ];

  static override flags = {
    only: Flags.string({ description: 'Start only these services (and what they depend on).', delimiter: ',', multiple: true }),
    profile: Flags.string({ description: "Also start this profile's services.", options: PROFILES.filter((profile) => profile !== 'core'), multiple: true }),
    'show-secrets': Flags.boolean({ description: 'Print passwords in the endpoints table instead of masking them.', default: false }),
    runtime: runtimeFlag,
    timeout: Flags.integer({ description: 'Seconds each service may take to become healthy (default: per service).', min: 1 }),
  };

  async run(): Promise<UpResult> {
    const { flags } = await this.parse(Up);
    const progress = createProgress({ quiet: this.jsonEnabled() });
    // Every step converges, so an interrupted up is finished by the next `apex up` or undone by `apex down`.
    process.once('SIGINT', () => {
      progress.warn('Interrupted. Run `apex up` again to finish, or `apex down` to remove what was started.');
      process.exit(130);
    });
    const result = await runUp(
      { configFile: flags.config },
      {
        only: flags.only,
        profiles: flags.profile as Profile[] | undefined,
        runtime: flags.runtime,
        timeoutSeconds: flags.timeout,
        showSecrets: flags['show-secrets'],
      },
      { progress },
    );
    if (!this.jsonEnabled()) this.log(upView(result, Boolean(process.stdout.isTTY)));
    return result;
  }
}
