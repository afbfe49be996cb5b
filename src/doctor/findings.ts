export type FindingStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One thing doctor looked at. Anything not ok carries the exact step that fixes it. */
export interface Finding {
  check: 'node' | 'config' | 'docker' | 'memory' | 'disk' | 'port';
  /** What was checked, e.g. "postgres 127.0.0.1:5432". */
  subject: string;
  status: FindingStatus;
  message: string;
  fix?: string;
}

export const failed = (findings: readonly Finding[]): Finding[] => findings.filter((finding) => finding.status === 'fail');
