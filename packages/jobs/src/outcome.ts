import { HelixError } from '@helixstack/sdk';

/**
 * Whether a handler's failure is worth another try. Only an error that says so with
 * `details.retryable === true` (a HelixError built with that detail) is retried; any other
 * failure is final, because retrying a broken build usually fails the same way.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const details = (error as { details?: unknown }).details;
  return (
    typeof details === 'object' && details !== null && (details as { retryable?: unknown }).retryable === true
  );
}

/** The text a failed job keeps in last_error. */
export function describeError(error: unknown): string {
  if (error instanceof HelixError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
