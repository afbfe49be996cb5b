import { execa } from 'execa';

export interface PromtoolProblem {
  /** The rule file, when promtool names one. */
  file?: string;
  line?: number;
  /** The alert or recording rule concerned, when promtool names one. */
  rule?: string;
  message: string;
}

export interface PromtoolRun {
  command: string;
  ok: boolean;
  /** stdout and stderr interleaved, as a person would see them. */
  output: string;
  problems: PromtoolProblem[];
}

export interface PromtoolOptions {
  /** The promtool binary; Debian installs it as `promtool`. */
  binary?: string;
  cwd?: string;
}

async function runPromtool(args: string[], options: PromtoolOptions): Promise<Omit<PromtoolRun, 'problems'>> {
  const binary = options.binary ?? 'promtool';
  const result = await execa(binary, args, { all: true, reject: false, cwd: options.cwd, timeout: 60_000 });
  if (result.failed && result.exitCode === undefined) {
    throw new Error(`cannot run ${binary}: ${result.shortMessage}`);
  }
  return { command: [binary, ...args].join(' '), ok: result.exitCode === 0, output: result.all ?? '' };
}

const RULE_ERROR = /^(?<file>\S.*?): (?<line>\d+):\d+: group "[^"]*", rule \d+, "(?<rule>[^"]*)": (?<message>.*)$/;
const FILE_ERROR = /^(?<file>\S.*?): (?<message>.*)$/;

/** `promtool check rules`: syntax, expressions and labels of every rule file. */
export async function checkRules(files: readonly string[], options: PromtoolOptions = {}): Promise<PromtoolRun> {
  const run = await runPromtool(['check', 'rules', ...files], options);
  return { ...run, problems: run.ok ? [] : parseCheckProblems(run.output) };
}

export function parseCheckProblems(output: string): PromtoolProblem[] {
  const problems: PromtoolProblem[] = [];
  for (const line of output.split('\n').map((text) => text.trimEnd())) {
    if (line === '' || line.startsWith('Checking ') || /^\s/.test(line)) continue;
    const ruleMatch = RULE_ERROR.exec(line);
    if (ruleMatch?.groups) {
      const { file, line: lineNumber, rule, message } = ruleMatch.groups;
      problems.push({ file, line: Number(lineNumber), rule, message });
      continue;
    }
    const fileMatch = FILE_ERROR.exec(line);
    problems.push(fileMatch?.groups ? { file: fileMatch.groups.file, message: fileMatch.groups.message } : { message: line });
  }
  // promtool prints a file's load error once per pass over it.
  const unique = problems.filter((problem, index) => problems.findIndex((other) => JSON.stringify(other) === JSON.stringify(problem)) === index);
  return unique.length > 0 ? unique : [{ message: output.trim() || 'promtool check rules failed without output' }];
}

/** `promtool test rules`: the unit tests under templates/prometheus/tests. */
export async function testRules(files: readonly string[], options: PromtoolOptions = {}): Promise<PromtoolRun> {
  const run = await runPromtool(['test', 'rules', ...files], options);
  return { ...run, problems: run.ok ? [] : parseTestProblems(run.output) };
}

const TEST_FAILURE = /^\s*alertname: (?<rule>[^,]+), time: (?<time>[^,]+),/;
const EXPR_FAILURE = /^\s*expr: "(?<expr>.*)", time: (?<time>[^,]+),/;

export function parseTestProblems(output: string): PromtoolProblem[] {
  const lines = output.split('\n');
  const problems: PromtoolProblem[] = [];
  lines.forEach((line, index) => {
    const alert = TEST_FAILURE.exec(line);
    if (alert?.groups) {
      const detail = lines.slice(index + 1, index + 12).join('\n');
      problems.push({ rule: alert.groups.rule.trim(), message: `at ${alert.groups.time}: expected and got alerts differ\n${detail}` });
      return;
    }
    const expr = EXPR_FAILURE.exec(line);
    if (expr?.groups) problems.push({ message: `expression ${expr.groups.expr} at ${expr.groups.time}: ${line.trim()}` });
  });
  if (problems.length > 0) return problems;
  // Rule files that do not load fail every test in the file before any assertion runs.
  const checkProblems = parseCheckProblems(lines.filter((line) => !/^\s*(Unit Testing:|FAILED:|SUCCESS)/.test(line)).join('\n'));
  return checkProblems;
}
