import type { FailureEvidence, Interruption } from '../results/run-result.js';

/** Why a phase stops early, with what a person needs to act on it. */
export interface InterruptionCause extends Interruption {
  /** What was seen: the probes' errors, or the signal. */
  evidence: FailureEvidence;
  fix: string;
}

/**
 * The state a phase shares with its tests once it must end early: the load generator stops starting workflows
 * when `signal` aborts, and workflows in flight are waited for until `graceOver`, never until their own timeout.
 */
export interface PhaseInterruption {
  readonly signal: AbortSignal;
  readonly graceMs: number;
  /** Resolves `graceMs` after the interruption; never before it. */
  readonly graceOver: Promise<void>;
  readonly cause: InterruptionCause | undefined;
  /** The first cause wins: a store that died and the Ctrl-C that followed are one interruption. */
  interrupt(cause: InterruptionCause): void;
  /** Clears the grace timer (the phase ended before the grace did). */
  dispose(): void;
}

export const DEFAULT_GRACE_SECONDS = 15;

export function createPhaseInterruption(graceMs: number): PhaseInterruption {
  const controller = new AbortController();
  let cause: InterruptionCause | undefined;
  let timer: NodeJS.Timeout | undefined;
  let expire = (): void => undefined;
  const graceOver = new Promise<void>((resolve) => (expire = resolve));
  return {
    signal: controller.signal,
    graceMs,
    graceOver,
    get cause() {
      return cause;
    },
    interrupt(next) {
      if (cause) return;
      cause = next;
      timer = setTimeout(expire, graceMs);
      controller.abort(next);
    },
    dispose: () => clearTimeout(timer),
  };
}

/**
 * Waits for `work`, or for the end of the grace once interrupted: true when `work` settled in time. A failure of the
 * work itself (a bug in what handles a closed workflow) is not a late workflow: it still fails the test.
 */
export const settledWithinGrace = (work: Promise<unknown>, interruption: PhaseInterruption): Promise<boolean> =>
  Promise.race([work.then(() => true), interruption.graceOver.then(() => false)]);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** One line for the progress output, the recommendation and the tests that did not run. */
export function describeInterruption(cause: Interruption): string {
  switch (cause.reason) {
    case 'signal':
      return `stopped by a signal ${seconds(cause.atMs)} into the run`;
    case 'stack-down':
      return `the stack stopped answering ${seconds(cause.atMs)} into the run`;
    case 'store-unreachable':
      return `${cause.store ?? 'a service'} stopped answering ${seconds(cause.atMs)} into the run`;
  }
}
