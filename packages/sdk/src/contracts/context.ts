/** Where an operation acts: every plug-in call is scoped to one project environment. */
export interface Scope {
  org: string;
  project: string;
  environment: string;
}

/** A structured logger; fields must never carry a secret value. */
export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One line of build or runtime output, as users read it in `helix logs`. */
export interface LogLine {
  /** ISO 8601 time the line was produced. */
  time: string;
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
}

/**
 * What every operation receives. The host creates one per call; a plug-in keeps no state
 * in it beyond the call.
 */
export interface OperationContext {
  logger: PluginLogger;
  /** Aborted when the user cancels or the host shuts down; long work must stop promptly. */
  signal: AbortSignal;
  scope: Scope;
  /** Coarse progress for the CLI and console ("installing dependencies"). */
  progress(message: string): void;
  /** User-facing output lines (build logs); the host stores and streams them live. */
  output(stream: LogLine['stream'], text: string): void;
}
