import { stripVTControlCharacters } from 'node:util';
import { ApexError, errorMessage } from '../errors.js';
import { colorsFor } from '../ui/colors.js';

/** What every failing command prints under --json: the error's code, message, fix and details. */
export interface ErrorOutput {
  apiVersion: 1;
  error: ReturnType<ApexError['toJSON']>;
}

/**
 * A flag or argument the parser rejected (unknown flag, a value of the wrong type, a value not among the options,
 * a missing argument), as a usage error that exits 2 and points at the command's --help.
 */
export function parseUsageError(error: unknown, command: string): ApexError {
  const lines = stripVTControlCharacters(errorMessage(error))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'See more help with --help' && !/^The following errors? occurred:$/.test(line));
  // "Parsing --timeout" then the parser's reason: one sentence that names the flag.
  const parsing = /^Parsing (--\S+)$/.exec(lines[0] ?? '');
  const [message, ...details] = parsing && lines.length > 1 ? [`${parsing[1]}: ${lines[1]}`, ...lines.slice(2)] : lines;
  return new ApexError('USAGE', message ?? 'Invalid arguments.', `Run \`${command} --help\` for its flags and arguments.`, 2, details);
}

/** An error apex did not anticipate, as exit 1 with its message; the stack trace when DEBUG is set. */
export function unexpectedError(error: unknown, env: NodeJS.ProcessEnv = process.env): ApexError {
  const stack =
    error instanceof Error && env.DEBUG
      ? (error.stack ?? '')
          .split('\n')
          .slice(1)
          .map((line) => line.trim())
      : [];
  return new ApexError(
    'UNEXPECTED',
    errorMessage(error),
    'Run it again with DEBUG=1 for the stack trace, and report it with that output if it persists.',
    1,
    stack,
  );
}

/** The --json form of an error. */
export const errorOutput = (error: ApexError): ErrorOutput => ({ apiVersion: 1, error: error.toJSON() });

/** The plain form, for stderr: unwrapped lines (oclif's renderer wraps at 80 columns and adds escape codes). */
export function errorText(error: ApexError, color: { red(text: string): string; bold(text: string): string }): string {
  return [`${color.red('Error:')} ${error.message}`, ...error.details.map((line) => `  ${line}`), `${color.bold('Fix:')} ${error.fix}`].join('\n');
}

/** Prints an error the one way every command does: its JSON on stdout under --json, else message and fix on stderr. */
export function writeError(error: ApexError, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(errorOutput(error), null, 2)}\n`);
  else process.stderr.write(`${errorText(error, colorsFor(process.stderr))}\n`);
}

/** Whether the command line asks for JSON (`--json` before any `--`), also on a command that has no --json flag. */
export function argvAsksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
