/**
 * The one catalogue of HelixStack error codes. Every error a user can see carries one of
 * these codes, a message they can act on, and the HTTP status the API answers with.
 */
export const errorCatalogue = {
  HLX_BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  HLX_INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  HLX_VALIDATION: { status: 400, message: 'The request does not match the expected shape.' },
  HLX_INVALID_NAME: {
    status: 400,
    message: 'Names use lowercase letters, digits and "-", start and end with a letter or digit, at most 63.',
  },
  HLX_INVALID_ENV_KEY: { status: 400, message: 'Variable names match [A-Za-z_][A-Za-z0-9_]*.' },
  HLX_INVALID_CURSOR: { status: 400, message: 'The pagination cursor is not valid; start again without it.' },
  HLX_UNAUTHENTICATED: { status: 401, message: 'Send a valid API token as "Authorization: Bearer <token>".' },
  HLX_TOKEN_REVOKED: { status: 401, message: 'This API token was revoked; create a new one.' },
  HLX_FORBIDDEN: { status: 403, message: 'Your role does not allow this action.' },
  HLX_NOT_FOUND: { status: 404, message: 'No such resource.' },
  HLX_ROUTE_NOT_FOUND: { status: 404, message: 'No such endpoint; see /v1/openapi.json.' },
  HLX_METHOD_NOT_ALLOWED: { status: 405, message: 'This endpoint does not accept that method.' },
  HLX_CONFLICT: { status: 409, message: 'A resource with that name already exists.' },
  HLX_LAST_OWNER: { status: 409, message: 'An organization must keep at least one owner.' },
  HLX_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit.' },
  HLX_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  HLX_RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  HLX_INTERNAL: { status: 500, message: 'Internal error; the server log has the details.' },
  HLX_UNAVAILABLE: { status: 503, message: 'The server is shutting down or not ready.' },
  HLX_DATA_DIR_LOCKED: {
    status: 500,
    message: 'Another HelixStack server is using this data directory; stop it or choose another --data-dir.',
  },
  HLX_CONFIG: { status: 500, message: 'The server configuration is invalid.' },
  HLX_DATABASE: { status: 500, message: 'The database could not be opened or migrated.' },
  HLX_CLI_NOT_LOGGED_IN: {
    status: 401,
    message: 'No API token: run "helix login --token <token>" or set HELIX_TOKEN.',
  },
  HLX_CLI_NOT_LINKED: { status: 400, message: 'No project: run "helix link" or pass --project.' },
  HLX_CLI_USAGE: { status: 400, message: 'Unknown command or option; run "helix --help".' },
  HLX_CLI_UNREACHABLE: {
    status: 503,
    message: 'The HelixStack API could not be reached; check HELIX_API_URL.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** An error with a stable code, safe to show to a user: it never carries a secret. */
export class HelixError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'HelixError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}
