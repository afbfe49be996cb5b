import { Chalk, type ChalkInstance } from 'chalk';

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  const enabled = Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return new Chalk({ level: enabled ? 1 : 0 });
}
