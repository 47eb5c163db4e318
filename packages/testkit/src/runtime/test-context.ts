import type { OperationContext, PluginLogger } from '@helixstack/sdk';

/** A logger that drops everything; tests assert on behaviour, not on debug output. */
export const silentLogger: PluginLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** An operation context for calling a plug-in from a test, scoped to a fixed test project. */
export function runtimeTestContext(signal: AbortSignal = new AbortController().signal): OperationContext {
  return {
    logger: silentLogger,
    signal,
    scope: { org: 'test-org', project: 'test-project', environment: 'production' },
    progress() {},
    output() {},
  };
}
