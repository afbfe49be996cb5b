import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every `apex …` that src/ shows a user between backticks (fix texts, messages, help) must run: the command exists in
 * oclif.manifest.json (`npm run build` writes it), every flag exists and gets a value when it takes one, values
 * of flags and arguments with fixed options are among them, and there are no more arguments than the command has.
 * `${…}`, `<…>` and `[…]` are placeholders for any value.
 */
interface ManifestFlag {
  name: string;
  char?: string;
  type: 'boolean' | 'option';
  options?: string[];
  allowNo?: boolean;
}
interface ManifestCommand {
  flags: Record<string, ManifestFlag>;
  args: Record<string, { name: string; options?: string[] }>;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MANIFEST = join(ROOT, 'oclif.manifest.json');
const commands = existsSync(MANIFEST) ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { commands: Record<string, ManifestCommand> }).commands : {};

const isPlaceholder = (token: string): boolean => /\$\{|^<.*>$|^\[.*\]$/.test(token);

/** Why `line` (one command, starting with `apex `) would not run, or undefined when it would. */
function commandProblem(line: string): string | undefined {
  const tokens = line
    .replace(/\$\{[^}]*\}/g, '${}')
    .trim()
    .split(/\s+/)
    .slice(1);
  let id = '';
  while (
    tokens.length > 0 &&
    !tokens[0].startsWith('-') &&
    Object.keys(commands).some(
      (known) => known === [id, tokens[0]].filter(Boolean).join(':') || known.startsWith(`${[id, tokens[0]].filter(Boolean).join(':')}:`),
    )
  ) {
    id = [id, tokens.shift()].filter(Boolean).join(':');
  }
  const command = commands[id];
  if (!command) return `no command "${id.replaceAll(':', ' ') || tokens[0]}"`;
  const flags = Object.values(command.flags);
  const args = Object.values(command.args);
  let positional = 0;
  while (tokens.length > 0) {
    const token = tokens.shift()!;
    if (isPlaceholder(token) && !token.startsWith('-')) {
      positional += 1;
      continue;
    }
    if (token.startsWith('-')) {
      const [name, inline] = token.replace(/^--?/, '').split('=', 2);
      const flag = token.startsWith('--')
        ? flags.find((candidate) => candidate.name === name || (candidate.allowNo && `no-${candidate.name}` === name))
        : flags.find((candidate) => candidate.char === name);
      if (!flag) return `no flag ${token} on "apex ${id.replaceAll(':', ' ')}"`;
      if (flag.type === 'boolean') continue;
      const value = inline ?? tokens.shift();
      if (value === undefined) return `${token} needs a value`;
      const values = value.split(',');
      if (flag.options && !isPlaceholder(value) && values.some((one) => !flag.options!.includes(one)))
        return `${token} ${value} is not one of ${flag.options.join(', ')}`;
      continue;
    }
    const arg = args[positional];
    positional += 1;
    if (!arg) return `"apex ${id.replaceAll(':', ' ')}" takes ${args.length} argument(s), not "${token}"`;
    if (arg.options && !arg.options.includes(token)) return `${token} is not one of ${arg.options.join(', ')}`;
  }
  return undefined;
}

/** Each backticked `apex …` in a file, one per command (`a && b` gives two). */
function backtickedCommands(source: string): string[] {
  const spans = [...source.matchAll(/\\?`(apex [^`\\]*?)\\?`/g)].map((match) => match[1]);
  return spans
    .map((span) => span.replace(/\$\{(?![^}]*\})[\s\S]*$/, ''))
    .flatMap((span) => span.split(/&&|\|\||[|;]/))
    .map((part) => part.trim())
    .filter((part) => part.startsWith('apex '));
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

describe('the apex commands src/ tells users to run', () => {
  it('has a manifest (run `npm run build` first)', () => {
    expect(Object.keys(commands).length).toBeGreaterThan(0);
  });

  it('every backticked `apex …` in src/ names a command, flags and arguments that exist', () => {
    const found = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      backtickedCommands(readFileSync(file, 'utf8')).map((command) => ({ file: relative(ROOT, file), command })),
    );
    expect(found.length).toBeGreaterThan(50);
    const problems = found.flatMap(({ file, command }) => {
      const problem = commandProblem(command);
      return problem ? [`${file}: \`${command}\`: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it.each([
    ['apex down -v', /no flag -v/],
    ['apex status temporal', /takes 0 argument/],
    ['apex nosuch', /no command "nosuch"/],
    ['apex test phase', undefined],
    ['apex test phaze 2c', /no command "test"/],
    ['apex up --timeout', /needs a value/],
    ['apex doctor --profile nope', /not one of observability/],
    ['apex logs nosuchservice', /not one of temporal/],
    ['apex test phase 2c --no-eager-start --json', undefined],
    ['apex reset --service ${name} --hard -y', undefined],
  ])('%s', (command, problem) => {
    if (problem) expect(commandProblem(command)).toMatch(problem);
    else expect(commandProblem(command)).toBeUndefined();
  });

  it('finds each command of a chain, in single-quoted and template texts, and cuts an unfinished interpolation', () => {
    expect(backtickedCommands("fix: 'the volume: `apex down --volumes && apex up`', other: `Run \\`apex logs ${name}\\``, `apex up${x ? `")).toEqual([
      'apex down --volumes',
      'apex up',
      'apex logs ${name}',
      'apex up',
    ]);
  });
});
