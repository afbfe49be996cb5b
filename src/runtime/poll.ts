/** Time as the runtime sees it; tests inject a fake one so that timeouts run instantly. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  clock?: Clock;
}

/**
 * Calls `attempt` until it returns a value other than undefined, or the timeout passes.
 * Returns undefined at the timeout so that the caller can say what it was waiting for.
 */
export async function pollUntil<T>(attempt: () => Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    const left = deadline - clock.now();
    if (left <= 0) return undefined;
    await clock.sleep(Math.min(options.intervalMs, left));
  }
}
