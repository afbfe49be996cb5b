import type { Diagnosis, PhaseRunResult } from '../results/run-result.js';

function diagnosisBlock(diagnosis: Diagnosis, index: number): string[] {
  const lines = [
    `## ${index + 1}. ${diagnosis.title}`,
    '',
    `**Signature:** \`${diagnosis.signature}\``,
    `**Affected:** ${diagnosis.tests.join(', ')}`,
    '',
    '**Symptom:**',
    ...diagnosis.evidence.map((evidence) => `- ${evidence.summary}${evidence.workflows > 0 ? ` (${evidence.workflows} workflow${evidence.workflows === 1 ? '' : 's'}${evidence.exampleWorkflowId ? `, e.g. \`${evidence.exampleWorkflowId}\`` : ''})` : ''}`),
    '',
    '**Evidence:**',
    '',
  ];
  for (const evidence of diagnosis.evidence) {
    lines.push(`From ${evidence.source === 'history' ? 'the workflow histories' : `the ${evidence.source}`}:`, '', '```', ...(evidence.lines.length ? evidence.lines : [evidence.summary]), '```', '');
  }
  lines.push(`**Cause:** ${diagnosis.cause}`, '', `**Fix:** ${diagnosis.fix}`, '');
  return lines;
}

/** ISSUES.md: one section per diagnosed cause, with symptom, evidence, cause and fix. */
export function renderIssues(result: PhaseRunResult): string {
  const header = [`# ${result.title}: Issues`, '', `**Run:** \`${result.runId}\``, ''];
  if (result.diagnoses.length === 0) {
    const none = result.summary.workflowsExecuted > 0 ? 'No failures: every test that ran passed its checks.' : 'No failure evidence was recorded, yet no workflow ran: treat this run as failed.';
    return [...header, none, ''].join('\n');
  }
  const unmatched = result.diagnoses.filter((diagnosis) => diagnosis.signature === 'unmatched').length;
  return [
    ...header,
    `${result.diagnoses.length} cause${result.diagnoses.length === 1 ? '' : 's'} found${unmatched ? `, ${unmatched} of them matching no known signature` : ''}.`,
    '',
    ...result.diagnoses.flatMap(diagnosisBlock),
  ].join('\n');
}
