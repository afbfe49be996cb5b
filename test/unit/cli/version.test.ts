import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('apex --version', () => {
  it("answers without oclif, with oclif's own text", async () => {
    const config = await Config.load(root);
    const { stdout } = await execa('node', ['bin/run.js', '--version'], { cwd: root });
    expect(stdout).toBe(config.userAgent);
  });
});
