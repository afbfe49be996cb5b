import type { ChalkInstance } from 'chalk';
import { colorsFor } from './colors.js';

/** Progress goes to stderr so that stdout stays data; `--json` silences it. */
export interface Progress {
  step(message: string): void;
  done(message: string): void;
  warn(message: string): void;
  /** A line that is replaced in place on a terminal (e.g. pull progress); dropped elsewhere. */
  transient(message: string): void;
}

export const silentProgress: Progress = { step() {}, done() {}, warn() {}, transient() {} };

interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Plain lines when stderr is not a terminal (CI logs stay readable), symbols and colour when it is. */
export function createProgress(options: { quiet: boolean; stream?: ProgressStream }): Progress {
  if (options.quiet) return silentProgress;
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const color: ChalkInstance = colorsFor(stream);
  let transientShown = false;
  const line = (text: string): void => {
    if (transientShown) stream.write('\r\x1b[2K');
    transientShown = false;
    stream.write(`${text}\n`);
  };
  return {
    step: (message) => line(`${color.cyan('›')} ${message}`),
    done: (message) => line(`${color.green('✓')} ${message}`),
    warn: (message) => line(`${color.yellow('!')} ${message}`),
    transient: (message) => {
      if (!tty) return;
      stream.write(`\r\x1b[2K${color.dim(message)}`);
      transientShown = true;
    },
  };
}
