import { describe, expect, it } from 'vitest';
import { colorsFor } from '../../../src/ui/colors.js';
import { maskSecret, redactSecrets } from '../../../src/ui/mask.js';
import { createProgress } from '../../../src/ui/progress.js';
import { renderTable } from '../../../src/ui/table.js';

const captured = (isTTY: boolean): { isTTY: boolean; text: string; write(text: string): void } => ({
  isTTY,
  text: '',
  write(text: string) {
    this.text += text;
  },
});

describe('masking', () => {
  it('hides a secret without hinting at its length, unless asked to show it', () => {
    expect(maskSecret('s3cr3t-value')).toBe('********');
    expect(maskSecret('s3cr3t-value', true)).toBe('s3cr3t-value');
    expect(maskSecret('')).toBe('');
  });

  it('redacts every occurrence, longest secret first', () => {
    expect(redactSecrets('FATAL: password "abcdef" / abc', ['abc', 'abcdef'])).toBe('FATAL: password "********" / ********');
  });
});

describe('tables', () => {
  it('prints plain aligned columns off a terminal, one line per multi-line cell line', () => {
    expect(
      renderTable(
        ['service', 'endpoint'],
        [
          ['postgres', 'a\nb'],
          ['redis', 'c'],
        ],
        false,
      ),
    ).toBe(['service   endpoint', 'postgres  a', '          b', 'redis     c'].join('\n'));
  });

  it('draws a box on a terminal', () => {
    expect(renderTable(['a'], [['1']], true)).toContain('┌');
  });
});

describe('colours and progress', () => {
  it('uses no colour when NO_COLOR is set or the stream is not a terminal', () => {
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: false }, {}).red('x')).toBe('x');
    expect(colorsFor({ isTTY: true }, {}).red('x')).not.toBe('x');
  });

  it('is silent under --json', () => {
    const stream = captured(true);
    createProgress({ quiet: true, stream }).step('pulling');
    expect(stream.text).toBe('');
  });

  it('prints plain lines off a terminal and drops in-place updates', () => {
    const stream = captured(false);
    const progress = createProgress({ quiet: false, stream });
    progress.step('Pulling postgres');
    progress.transient('  12.0 / 80.0 MB');
    progress.done('postgres healthy');
    expect(stream.text).toBe('› Pulling postgres\n✓ postgres healthy\n');
  });
});
