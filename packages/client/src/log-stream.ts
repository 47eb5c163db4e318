import { HelixError } from '@helixstack/sdk';
import type { LogEvent, LogStreamOptions } from './deployment-types.ts';
import { errorFromFetchFailure } from './errors.ts';
import { logEvents, parseNdjson } from './ndjson.ts';

const defaultIdleTimeoutMs = 60_000;

/** Passes chunks through, calling `onChunk` for each: the stream's heartbeat. */
async function* touching(chunks: AsyncIterable<Uint8Array>, onChunk: () => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    onChunk();
    yield chunk;
  }
}

/**
 * Reads one NDJSON log stream opened by `open`. The server pings every 15 s, so a stream that
 * stays silent for idleTimeoutMs is cut and reported as HLX_CLI_UNREACHABLE, like a dropped
 * connection; the caller's signal ends it with the signal's reason.
 */
export async function* readLogStream(
  open: (signal: AbortSignal) => Promise<Response>,
  options: LogStreamOptions,
  apiUrl: string,
): AsyncGenerator<LogEvent> {
  const idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  let silent = false;
  let timer: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      silent = true;
      controller.abort();
    }, idleTimeoutMs);
  };
  rearm();
  try {
    const response = await open(controller.signal);
    if (response.body) yield* logEvents(parseNdjson(touching(response.body, rearm)));
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (silent) {
      throw new HelixError(
        'HLX_CLI_UNREACHABLE',
        `The log stream from ${apiUrl} was silent for ${Math.round(idleTimeoutMs / 1000)} s.`,
      );
    }
    throw errorFromFetchFailure(error, apiUrl);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forwardAbort);
    // Releases the connection when the reader stopped before the end.
    controller.abort();
  }
}
