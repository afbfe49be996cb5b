import { Command, Flags } from '@oclif/core';
import { ApexError, errorMessage } from '../errors.js';
import { colorsFor } from '../ui/colors.js';

/**
 * The base of every command: `--json` (the typed result of run() is the payload), `--config`,
 * and errors rendered as message + fix with the error's exit code.
 */
export abstract class ApexCommand<T> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    config: Flags.string({
      char: 'c',
      description: 'Path to apex.config.yaml (default: ./apex.config.yaml, or $APEX_CONFIG).',
      helpGroup: 'GLOBAL',
    }),
  };

  abstract override run(): Promise<T>;

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (error instanceof ApexError) {
      if (this.jsonEnabled()) {
        this.logJson({ error: error.toJSON() });
        this.exit(error.exitCode);
      }
      // Unwrapped plain lines (oclif's renderer wraps at 80 columns and adds escape codes even under NO_COLOR).
      const color = colorsFor(process.stderr);
      const lines = [`${color.red('Error:')} ${error.message}`, ...error.details.map((line) => `  ${line}`), `${color.bold('Fix:')} ${error.fix}`];
      process.stderr.write(`${lines.join('\n')}\n`);
      this.exit(error.exitCode);
    }
    if (error.exitCode !== undefined || error.name === 'ExitError') throw error;
    return super.catch(Object.assign(new Error(errorMessage(error)), { exitCode: 1 }));
  }
}
