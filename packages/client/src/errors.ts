import { HelixError, isErrorCode } from '@helixstack/sdk';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns a non-2xx answer into a HelixError. The server's message is kept; a code this client
 * does not know (a newer server) becomes HLX_INTERNAL, with the original code in details.
 */
export function errorFromResponse(status: number, body: unknown): HelixError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (!error || typeof error.code !== 'string') {
    return new HelixError('HLX_INTERNAL', `The server answered HTTP ${status} without an error body.`, {
      status,
    });
  }
  const message = typeof error.message === 'string' ? error.message : undefined;
  const details = isRecord(error.details) ? error.details : undefined;
  if (isErrorCode(error.code)) return new HelixError(error.code, message, details);
  return new HelixError('HLX_INTERNAL', message, { ...details, serverCode: error.code, status });
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** fetch rejects with a TypeError whose cause names the socket error; find that name. */
function systemCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; isRecord(current) && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

/** Turns a failed fetch (no HTTP answer at all) into HLX_CLI_UNREACHABLE, or rethrows what it is not. */
export function errorFromFetchFailure(error: unknown, apiUrl: string): HelixError {
  if (error instanceof HelixError) return error;
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new HelixError('HLX_CLI_UNREACHABLE', `The HelixStack API at ${apiUrl} did not answer in time.`);
  }
  const code = systemCode(error);
  const fetchFailed = error instanceof TypeError && error.message === 'fetch failed';
  if (fetchFailed || (code !== undefined && unreachableCodes.has(code))) {
    const reason = code ? ` (${code})` : '';
    return new HelixError(
      'HLX_CLI_UNREACHABLE',
      `The HelixStack API at ${apiUrl} could not be reached${reason}; check HELIX_API_URL or --api-url.`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HelixError('HLX_INTERNAL', message);
}
