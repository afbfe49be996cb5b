import { describe, expect, it } from 'vitest';
import { parseCheckProblems, parseTestProblems } from '../../../src/observability/promtool.js';

describe('parseCheckProblems', () => {
  it('names the file, line and rule of an expression error (promtool 2.42 output)', () => {
    const output =
      'Checking rules/a.yml\n  FAILED:\nrules/a.yml: 10:15: group "g", rule 2, "Typo": could not parse expression: 1:22: parse error: unclosed left parenthesis\n';
    expect(parseCheckProblems(output)).toEqual([
      { file: 'rules/a.yml', line: 10, rule: 'Typo', message: 'could not parse expression: 1:22: parse error: unclosed left parenthesis' },
    ]);
  });

  it('keeps a file-level error (bad YAML) as a problem of the file', () => {
    const output = 'Checking r.yml\n  FAILED:\nr.yml: yaml: line 3: mapping values are not allowed in this context\n';
    expect(parseCheckProblems(output)).toEqual([{ file: 'r.yml', message: 'yaml: line 3: mapping values are not allowed in this context' }]);
  });
});

describe('parseTestProblems', () => {
  it('names the alert whose expectation failed, with the diff', () => {
    const output = [
      'Unit Testing:  tests/a.yml',
      '  FAILED:',
      '    name: WorkerDown fires,',
      '    alertname: WorkerDown, time: 3m, ',
      '        exp:[',
      '            0:',
      '              Labels:{alertname="WorkerDown", severity="warning"}',
      '            ], ',
      '        got:[]',
    ].join('\n');
    const [problem] = parseTestProblems(output);
    expect(problem.rule).toBe('WorkerDown');
    expect(problem.message).toMatch(/^at 3m: expected and got alerts differ/);
    expect(problem.message).toContain('severity="warning"');
  });

  it('falls back to the rule-file error when the rules under test do not load', () => {
    const output = 'Unit Testing:  t.yml\n  FAILED:\nrules/a.yml: 5:11: group "g", rule 1, "WorkerDown": could not parse expression: 1:1: parse error: bad\n';
    expect(parseTestProblems(output)).toEqual([
      { file: 'rules/a.yml', line: 5, rule: 'WorkerDown', message: 'could not parse expression: 1:1: parse error: bad' },
    ]);
  });
});

describe('parseCheckProblems on repeated lines', () => {
  it('reports a file error promtool prints twice once', () => {
    const output =
      "Checking rules/b.yml\n  FAILED:\nrules/b.yml: yaml: line 1: did not find expected '-' indicator\nrules/b.yml: yaml: line 1: did not find expected '-' indicator\n";
    expect(parseCheckProblems(output)).toHaveLength(1);
  });
});
