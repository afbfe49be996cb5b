const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The shell's convention: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalInterrupt {
  /** Aborts on the first SIGINT or SIGTERM; its reason is the signal's name. */
  signal: AbortSignal;
  /** The exit code of the signal received, if one was. */
  exitCode(): number | undefined;
  dispose(): void;
}

/**
 * Turns the first SIGINT/SIGTERM into an abort, so that the work ends with its report written; a second one exits at
 * once (`onForced` says so first).
 */
export function interruptOnSignals(onFirst: (signal: NodeJS.Signals) => void, onForced: () => void): SignalInterrupt {
  const controller = new AbortController();
  let received: (typeof SIGNALS)[number] | undefined;
  const onSignal = (signal: (typeof SIGNALS)[number]): void => {
    if (received) {
      onForced();
      process.exit(SIGNAL_EXIT_CODES[received]);
    }
    received = signal;
    onFirst(signal);
    controller.abort(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    exitCode: () => received && SIGNAL_EXIT_CODES[received],
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}
