/** How long to wait before the next try, given the number of attempts made so far (1 or more). */
export type Backoff = (attempts: number) => number;

export interface BackoffOptions {
  baseMs?: number;
  factor?: number;
  capMs?: number;
  /** A number in [0, 1); tests pass a constant. */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": the delay is between half and all of
 * min(cap, base * factor^(attempts - 1)). The fixed half keeps retries from hammering a
 * failing dependency; the random half spreads out jobs that failed together.
 */
export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
  const { baseMs = 1000, factor = 2, capMs = 60_000, random = Math.random } = options;
  return (attempts) => {
    const ceiling = Math.min(capMs, baseMs * factor ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
}
