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
  HLX_INVALID_STATE: { status: 409, message: 'The resource is not in a state that allows this action.' },
  HLX_LAST_OWNER: { status: 409, message: 'An organization must keep at least one owner.' },
  HLX_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit.' },
  HLX_VALUE_TOO_LARGE: { status: 400, message: 'An environment variable value may be at most 64 KiB.' },
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
  // Deployments
  HLX_SOURCE_INCOMPLETE: {
    status: 400,
    message: 'Upload the missing blobs (PUT /v1/blobs/{digest}) before deploying.',
  },
  HLX_SOURCE_REQUIRED: {
    status: 400,
    message: 'A deployment needs a source: an upload manifest or a git URL and ref.',
  },
  HLX_HOSTNAME_TAKEN: {
    status: 409,
    message: 'That hostname label is already used by another project, deployment or branch alias.',
  },
  HLX_NOT_READY: { status: 409, message: 'Only a READY deployment can serve production.' },
  HLX_NO_PREVIOUS: { status: 409, message: 'There is no earlier production deployment to roll back to.' },
  // Builders: detection, Node.js versions, dependency install and build steps.
  HLX_BUILD_PACKAGE_JSON_INVALID: {
    status: 422,
    message: 'package.json is not a valid JSON object; fix it and deploy again.',
  },
  HLX_BUILD_NODE_VERSION: {
    status: 422,
    message: 'No published Node.js version satisfies "engines.node" in package.json; widen or fix the range.',
  },
  HLX_BUILD_TOOLS_UNAVAILABLE: {
    status: 503,
    message:
      'Node.js versions could not be listed or installed from the npm registry; check the server network and npm settings, then retry.',
  },
  HLX_BUILD_FAILED: {
    status: 422,
    message: 'A build step failed; the build log shows its output. Fix the error and deploy again.',
  },
  HLX_BUILD_NO_OUTPUT: {
    status: 422,
    message:
      'Nothing to run or serve: add a "start" script, "main", server.js or index.js, or build into dist/, build/, out/ or public/ with an index.html.',
  },
  HLX_BUILD_PLAN_INVALID: {
    status: 500,
    message:
      'The build plan was not made by this builder or this version of it; deploy again to make a new plan.',
  },
  HLX_HEALTH_CHECK_FAILED: {
    status: 500,
    message: 'The app did not pass its health check in time; see the deployment logs.',
  },
  HLX_NO_BUILDER: {
    status: 400,
    message: 'No builder recognises this source: add a package.json or an index.html at its root.',
  },
  HLX_CANCELED: { status: 409, message: 'The deployment was canceled.' },
  // Plug-ins
  HLX_PLUGIN_INVALID: {
    status: 500,
    message: 'A plug-in does not match its contract; see the message for what is wrong.',
  },
  HLX_PLUGIN_DUPLICATE: { status: 500, message: 'Two plug-ins use the same id.' },
  HLX_PLUGIN_NOT_FOUND: { status: 400, message: 'No plug-in with that id is installed.' },
  HLX_CAPABILITY_UNDECLARED: {
    status: 501,
    message: 'The plug-in does not declare this capability; choose a plug-in that does.',
  },
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
  // helix CLI: its local files (config.json of "helix login", .helix/project.json of "helix link").
  HLX_CLI_CONFIG_INVALID: {
    status: 400,
    message: 'A helix file is not valid; fix it, or run "helix login" or "helix link" again.',
  },
  // helix CLI: the deploy loop (deploy, logs, open, dev).
  HLX_CLI_DEPLOY_FAILED: {
    status: 422,
    message: 'The deployment did not become READY; read its log with "helix logs <id>".',
  },
  HLX_CLI_NO_DEPLOYMENT: {
    status: 404,
    message: 'The project has no deployment to show yet; run "helix deploy" first.',
  },
  HLX_CLI_DEV_NOTHING_TO_RUN: {
    status: 400,
    message:
      'helix dev found no app to run: add a package.json with a start script or a main file, or an index.html.',
  },
  // Edge router: what a visitor of a deployment's hostname sees when it cannot be served.
  HLX_ROUTE_UNKNOWN_HOST: {
    status: 404,
    message: 'No deployment is served on this hostname; check the address or the project domains.',
  },
  HLX_UPSTREAM_DOWN: {
    status: 502,
    message: 'The deployment refused the connection; check its runtime logs or redeploy.',
  },
  HLX_UPSTREAM_FAILED: {
    status: 502,
    message: 'The deployment behind this hostname failed and cannot serve; check its logs or redeploy.',
  },
  HLX_UPSTREAM_UNAVAILABLE: {
    status: 503,
    message: 'The deployment is not serving right now (starting or scaled down); retry in a few seconds.',
  },
  HLX_UPSTREAM_TIMEOUT: {
    status: 504,
    message: 'The deployment did not answer in time; look for slow or stuck requests in its logs.',
  },
  // Source intake: packing, content-addressed upload, archive extraction, git sources.
  HLX_SOURCE_DIR_INVALID: { status: 400, message: 'The source path is not a readable directory.' },
  HLX_SOURCE_SYMLINK_OUTSIDE: {
    status: 400,
    message: 'A symlink in the source points outside the folder; remove it or add it to .helixignore.',
  },
  HLX_SOURCE_CHANGED: { status: 409, message: 'A file changed while it was being packed; deploy again.' },
  HLX_ARCHIVE_INVALID: { status: 400, message: 'The upload is not a valid tar archive.' },
  HLX_ARCHIVE_UNSAFE_PATH: {
    status: 400,
    message: 'The upload has an unsafe path (absolute, "..", NUL, or through a link); fix the archive.',
  },
  HLX_ARCHIVE_UNSUPPORTED_ENTRY: {
    status: 400,
    message:
      'The upload has an entry type that is not accepted (device, FIFO); only files, folders and links.',
  },
  HLX_ARCHIVE_TOO_LARGE: {
    status: 413,
    message:
      'The upload is larger than the server limit (HELIX_MAX_UPLOAD_BYTES); add paths to .helixignore.',
  },
  HLX_ARCHIVE_TOO_MANY_FILES: {
    status: 413,
    message:
      'The upload has more files than the server limit (HELIX_MAX_UPLOAD_FILES); add paths to .helixignore.',
  },
  HLX_MANIFEST_INVALID: {
    status: 400,
    message: 'The source manifest is malformed; send {path, size, mode, sha256} entries.',
  },
  HLX_BLOB_DIGEST_INVALID: {
    status: 400,
    message: 'A blob digest must be 64 lowercase hex characters (sha256).',
  },
  HLX_BLOB_DIGEST_MISMATCH: {
    status: 400,
    message: 'The uploaded content does not match its sha256 digest; upload it again.',
  },
  HLX_BLOB_MISSING: {
    status: 400,
    message: 'Some blobs of the manifest are not uploaded yet; upload the missing ones first.',
  },
  HLX_GIT_URL_INVALID: {
    status: 400,
    message:
      'The git URL must use https://, ssh://, git:// or user@host:path (local paths only when allowed).',
  },
  HLX_GIT_REF_INVALID: { status: 400, message: 'The git ref is not a valid branch or tag name.' },
  HLX_GIT_CLONE_FAILED: {
    status: 422,
    message: 'The repository could not be cloned; check the URL, the ref and access.',
  },
  // Runtime plug-ins: what a runtime refuses to deploy before it starts anything.
  HLX_RUNTIME_ARTIFACT_INVALID: {
    status: 422,
    message:
      'The artifact cannot run on this runtime (another kind, no start command, or its directory is missing); rebuild the deployment.',
  },
  // Build plane job queue: a worker's lease on a job.
  HLX_JOB_LEASE_LOST: {
    status: 409,
    message:
      'This worker no longer holds the job: its lease expired and the job was retried, or it finished; stop working on it.',
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
