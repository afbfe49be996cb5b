import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as { commands: Record<string, unknown> };

/** What bash offers for `apex <words><TAB>`, with the completion `apex autocomplete script bash` installs. */
function bashCompletes(setupScript: string, words: readonly string[]): string[] {
  const script = [
    setupScript,
    `COMP_WORDS=(apex ${words.map((word) => `'${word}'`).join(' ')})`,
    `COMP_CWORD=${words.length}`,
    `COMP_LINE='apex ${words.join(' ')}'`,
    '_apex_autocomplete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('apex autocomplete (built CLI)', () => {
  it("completes apex's commands, subcommands and flags in bash", { timeout: 60_000 }, async () => {
    const cache = mkdtempSync(join(tmpdir(), 'apex-autocomplete-'));
    const env = { XDG_CACHE_HOME: cache };
    const built = await runCli(cache, ['autocomplete', 'bash', '--refresh-cache'], env);
    expect(built.exitCode, built.stderr).toBe(0);
    const setup = await runCli(cache, ['autocomplete', 'script', 'bash'], env);
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect(setup.stdout).toContain(join(cache, 'apex', 'autocomplete', 'bash_setup'));

    const topLevel = new Set([...Object.keys(manifest.commands).map((id) => id.split(':')[0]), 'autocomplete']);
    expect(new Set(bashCompletes(setup.stdout, ['']))).toEqual(topLevel);
    expect(bashCompletes(setup.stdout, ['test', 'ph'])).toEqual(['phase']);
    expect(bashCompletes(setup.stdout, ['test', 'phase', '--ep'])).toEqual(['--ephemeral']);
  });

  it('writes the zsh and powershell completions with every command', { timeout: 60_000 }, async () => {
    const cache = mkdtempSync(join(tmpdir(), 'apex-autocomplete-'));
    const built = await runCli(cache, ['autocomplete', 'zsh', '--refresh-cache'], { XDG_CACHE_HOME: cache });
    expect(built.exitCode, built.stderr).toBe(0);
    const functions = join(cache, 'apex', 'autocomplete', 'functions');
    const zsh = readFileSync(join(functions, 'zsh', '_apex'), 'utf8');
    const powershell = readFileSync(join(functions, 'powershell', 'apex.ps1'), 'utf8');
    for (const id of Object.keys(manifest.commands)) {
      const last = id.split(':').at(-1)!;
      expect(zsh, id).toContain(`"${last}`);
      expect(powershell, id).toContain(`"${last}"`);
    }
  });
});
