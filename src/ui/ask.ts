import { createInterface } from 'node:readline/promises';

/** A yes/no question on the terminal (stdin/stderr), or undefined when stdin is not a terminal. */
export function terminalConfirm(
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): ((question: string) => Promise<boolean>) | undefined {
  if (!input.isTTY) return undefined;
  return async (question) => {
    const prompt = createInterface({ input, output });
    try {
      return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
    } finally {
      prompt.close();
    }
  };
}
