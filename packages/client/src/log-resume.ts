import { setTimeout as sleep } from 'node:timers/promises';
import { HelixError } from '@helixstack/sdk';
import type { HelixClient } from './client.ts';
import type { LogEvent, LogStreamOptions } from './deployment-types.ts';
import { isFinalState } from './deployment-types.ts';

export interface ResumingLogOptions extends LogStreamOptions {
  /** Reconnections in a row without receiving anything before giving up (default 5). */
  retries?: number;
  /** Pause before the first reconnection; doubles with each failure in a row (default 500 ms). */
  retryDelayMs?: number;
  /** Told before each reconnection, e.g. to print a note. */
  onReconnect?: (error: HelixError, attempt: number) => void;
}

function isDrop(error: unknown): error is HelixError {
  return error instanceof HelixError && error.code === 'HLX_CLI_UNREACHABLE';
}

/**
 * followLogs that survives a dropped connection: it reconnects with `after` set to the last
 * seq it yielded, so no line is lost or repeated (state events may repeat). A followed stream
 * that ends before its end (any end without until, or before a final state with until
 * 'final') counts as dropped too.
 */
export async function* followLogsResuming(
  client: HelixClient,
  deploymentId: string,
  options: ResumingLogOptions = {},
): AsyncGenerator<LogEvent> {
  const { retries = 5, retryDelayMs = 500, onReconnect, ...streamOptions } = options;
  let after = options.after;
  let failures = 0;
  for (;;) {
    let sawFinal = false;
    let dropped: HelixError;
    try {
      for await (const event of client.followLogs(deploymentId, { ...streamOptions, after })) {
        failures = 0;
        if (event.type === 'log') after = event.seq;
        if (event.type === 'state' && isFinalState(event.state)) sawFinal = true;
        yield event;
      }
      if (!options.follow || (options.until === 'final' && sawFinal)) return;
      dropped = new HelixError('HLX_CLI_UNREACHABLE', 'The log stream ended before the deployment finished.');
    } catch (error) {
      if (!isDrop(error)) throw error;
      dropped = error;
    }
    failures += 1;
    if (failures > retries) throw dropped;
    onReconnect?.(dropped, failures);
    await sleep(retryDelayMs * 2 ** (failures - 1), undefined, { signal: options.signal });
  }
}
