/** Every error a user can cause: what happened, and the exact command or edit that fixes it. */
export type ExitCode = 1 | 2;

export class ApexError extends Error {
  override readonly name = 'ApexError';

  constructor(
    /** Stable machine-readable code, e.g. DOCKER_UNREACHABLE. */
    readonly code: string,
    message: string,
    /** The concrete next step for the user. */
    readonly fix: string,
    /** 2 for usage and config errors, 1 for failures. */
    readonly exitCode: ExitCode = 1,
    /** Extra lines shown under the message, e.g. a container's last log lines. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }

  toJSON(): { code: string; message: string; fix: string; details: readonly string[] } {
    return { code: this.code, message: this.message, fix: this.fix, details: this.details };
  }
}

export const configError = (message: string, fix: string): ApexError => new ApexError('CONFIG_INVALID', message, fix, 2);

export const usageError = (message: string, fix: string): ApexError => new ApexError('USAGE', message, fix, 2);

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message || error.name : String(error));
