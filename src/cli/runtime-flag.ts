import { Flags } from '@oclif/core';

/** `--runtime external` acts on servers apex did not start (services.<name>.host/ports/tls in config). */
export const runtimeFlag = Flags.option({
  description: 'Override `runtime` from apex.config.yaml: docker (containers apex runs) or external (servers it did not start).',
  options: ['docker', 'external'] as const,
  helpGroup: 'GLOBAL',
})();
