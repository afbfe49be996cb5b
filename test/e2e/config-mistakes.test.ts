import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../src/runtime/docker/engine.js';
import { errorMessage } from '../../src/errors.js';
import { runCli } from '../support/cli.js';
import { skipOrFail } from '../support/docker-gate.js';
import { errorShape } from '../support/json-shapes.js';

/**
 * Config mistakes and a folder without a stack, through the built CLI (`npm run build` first). The Docker Engine is
 * pointed at a socket that does not exist unless a test says otherwise: none of these start a container.
 */
const noDocker = { DOCKER_HOST: 'unix:///nonexistent/apex-e2e-docker.sock' };
const folder = () => mkdtempSync(join(tmpdir(), 'apex-config-mistakes-'));

describe('--config naming a directory (built CLI)', () => {
  it('exits 2 saying it is a directory and which file to pass', async () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'conf'));
    writeFileSync(join(cwd, 'conf', 'apex.config.yaml'), 'project: apex\n');
    const result = await runCli(cwd, ['status', '--config', 'conf'], noDocker);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toBe(
      `Error: Config file ${join(cwd, 'conf')} is a directory, not a file.\nFix: Pass the config file inside it: --config ${join(cwd, 'conf', 'apex.config.yaml')}.`,
    );
    expect(result.stderr).not.toContain('EISDIR');
  });

  it('prints the CONFIG_INVALID error shape under --json', async () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'empty'));
    const result = await runCli(cwd, ['status', '--config', 'empty', '--json'], noDocker);
    expect(result.exitCode, result.stderr).toBe(2);
    const { error } = errorShape.parse(JSON.parse(result.stdout));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`Config file ${join(cwd, 'empty')} is a directory, not a file.`);
    expect(error.fix).toContain('apex init');
  });
});

describe('a .json config with a trailing comma (built CLI)', () => {
  it('exits 2 naming the file and line', async () => {
    const cwd = folder();
    writeFileSync(join(cwd, 'apex.config.json'), '{\n  "project": "apex",\n}\n');
    const result = await runCli(cwd, ['status'], noDocker);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`Error: ${join(cwd, 'apex.config.json')}:3: not valid JSON: Expected double-quoted property name`);
  });
});

describe('apex status in a folder that was never started (built CLI)', () => {
  it('exits 1 saying no stack was started here and that `apex up` starts one, when Docker cannot be asked', async () => {
    const cwd = folder();
    const result = await runCli(cwd, ['status', '--json'], noDocker);
    expect(result.exitCode, result.stderr).toBe(1);
    const { error } = errorShape.parse(JSON.parse(result.stdout));
    expect(error.code).toBe('STACK_NOT_STARTED');
    expect(error.message).toMatch(new RegExp(`^No apex stack was started in ${cwd}: there is no ${join(cwd, '.env')}, and Docker could not be asked`));
    expect(error.message).not.toContain('PASSWORD');
    expect(error.fix).toMatch(/^Run `apex up` here to start one/);
  });

  describe('with a Docker Engine', () => {
    let skip: string | undefined;
    beforeAll(async () => {
      skip = await connectDocker().then(
        () => undefined,
        (error: unknown) => errorMessage(error),
      );
      skip = skipOrFail('status against a real Docker Engine', skip);
    });

    it('exits 1 saying the engine holds no container of the project', async ({ skip: skipTest }) => {
      if (skip) skipTest(skip);
      const cwd = folder();
      const project = `apex-never-started-${process.pid}`;
      writeFileSync(join(cwd, 'apex.config.yaml'), `project: ${project}\n`);
      const result = await runCli(cwd, ['status'], { DOCKER_HOST: process.env.DOCKER_HOST });
      expect(result.exitCode, result.stderr).toBe(1);
      expect(result.stderr).toBe(
        `Error: No apex stack was started in ${cwd}: there is no ${join(cwd, '.env')}, and Docker shows no container of project "${project}".\n` +
          'Fix: Run `apex up` here to start one, or run `apex status` in the folder you started it from (or pass its --config).',
      );
    });
  });
});
