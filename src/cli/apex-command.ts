import { Command, Errors, Flags, Interfaces, toConfiguredId } from '@oclif/core';
import { ApexError } from '../errors.js';
import { argvAsksForJson, parseUsageError, unexpectedError, writeError } from './error-output.js';

/** The parser's flag and argument outputs. */
type Output = Record<string, unknown>;

/**
 * The base of every command: `--json` (the typed result of run() is the payload), `--config`, and every error
 * through one renderer: message + fix on stderr, or `{apiVersion, error: {code, message, fix, details}}` under
 * --json, with the error's exit code (2 for usage, 1 for failures).
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

  /** Whatever the parser rejects is a usage error. */
  protected override async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv);
    } catch (error) {
      throw parseUsageError(error, `${this.config.bin} ${toConfiguredId(this.id ?? '', this.config)}`);
    }
  }

  protected override async catch(error: Error): Promise<unknown> {
    // this.exit() ends a command with a chosen code and prints nothing.
    if (error instanceof Errors.ExitError) throw error;
    const apexError = error instanceof ApexError ? error : unexpectedError(error);
    writeError(apexError, this.jsonEnabled() || argvAsksForJson(this.argv));
    this.exit(apexError.exitCode);
    return undefined;
  }
}
