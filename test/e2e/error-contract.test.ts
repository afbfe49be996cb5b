import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { errorShape } from '../support/json-shapes.js';

/**
 * Every error reaches the user the same way (the built CLI, `npm run build` first): a usage error exits 2 with a fix
 * naming the command's --help, anything unanticipated exits 1 as UNEXPECTED, and --json always prints the error shape.
 * The Docker Engine is pointed at a socket that does not exist: none of these may need it.
 */
const noDocker = { DOCKER_HOST: 'unix:///nonexistent/apex-e2e-docker.sock' };
const apex = (args: string[]) => runCli(mkdtempSync(join(tmpdir(), 'apex-errors-')), args, noDocker);

const usageCases: { args: string[]; command: string; message: RegExp }[] = [
  { args: ['up', '--bogus'], command: 'apex up', message: /^Nonexistent flag: --bogus$/ },
  { args: ['up', '--timeout', 'abc'], command: 'apex up', message: /^--timeout: Expected an integer but received: abc$/ },
  { args: ['logs', 'nosuchservice'], command: 'apex logs', message: /^Expected nosuchservice to be one of: temporal, postgres, / },
  { args: ['doctor', '--profile', 'nope'], command: 'apex doctor', message: /^Expected --profile=nope to be one of: observability$/ },
];

describe('usage errors (built CLI)', () => {
  for (const { args, command, message } of usageCases) {
    it(`apex ${args.join(' ')} exits 2 with the fix on stderr`, async () => {
      const result = await apex(args);
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      const [first, ...rest] = result.stderr.trim().split('\n');
      expect(first.replace(/^Error: /, '')).toMatch(message);
      expect(rest.at(-1)).toBe(`Fix: Run \`${command} --help\` for its flags and arguments.`);
      expect(result.stderr).not.toContain('See more help');
    });

    it(`apex ${args.join(' ')} --json exits 2 with the error shape on stdout`, async () => {
      const result = await apex([...args, '--json']);
      expect(result.exitCode, result.stderr).toBe(2);
      const { apiVersion, error } = errorShape.parse(JSON.parse(result.stdout));
      expect(apiVersion).toBe(1);
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(message);
      expect(error.fix).toBe(`Run \`${command} --help\` for its flags and arguments.`);
    });
  }

  it('a missing required argument is a usage error too', async () => {
    const result = await apex(['test', 'phase', '--json']);
    expect(result.exitCode).toBe(2);
    const { error } = errorShape.parse(JSON.parse(result.stdout));
    expect(error).toMatchObject({ code: 'USAGE', message: 'Missing 1 required arg:', fix: 'Run `apex test phase --help` for its flags and arguments.' });
    expect(error.details[0]).toMatch(/^phase\s+Phase id/);
  });
});

describe('unknown commands (built CLI)', () => {
  it('exit 2 with the command it resembles', async () => {
    const result = await apex(['stauts']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('Error: apex has no command "stauts".\nFix: Did you mean `apex status`? `apex --help` lists every command.');
  });

  it('--json: the error shape, and no guess when nothing is close', async () => {
    const result = await apex(['nosuch', '--json']);
    expect(result.exitCode).toBe(2);
    expect(errorShape.parse(JSON.parse(result.stdout)).error).toEqual({
      code: 'USAGE',
      message: 'apex has no command "nosuch".',
      fix: '`apex --help` lists every command.',
      details: [],
    });
  });
});

describe('unexpected errors (built CLI)', () => {
  // A path under a file: the file system refuses it with a raw EEXIST that apex does not translate.
  const args = ['compose', 'export', '--output', '/dev/null/compose.yml'];

  it('exit 1 as UNEXPECTED with the message and a fix on stderr', async () => {
    const result = await apex(args);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^Error: EEXIST: file already exists, mkdir '\/dev\/null'\nFix: Run it again with DEBUG=1 for the stack trace/);
  });

  it('--json: the error shape with code UNEXPECTED', async () => {
    const result = await apex([...args, '--json']);
    expect(result.exitCode).toBe(1);
    const { error } = errorShape.parse(JSON.parse(result.stdout));
    expect(error).toMatchObject({ code: 'UNEXPECTED', message: "EEXIST: file already exists, mkdir '/dev/null'", details: [] });
  });
});
