import type { OperationContext, PluginLogger, Scope } from '@helixstack/sdk';
import type { Logger } from 'pino';
import type { LogWriter } from './log-writer.ts';

/** Adapts the server's pino logger to the plug-in logger contract. */
export function pluginLogger(logger: Logger): PluginLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}

/** The context of one plug-in call for a deployment: output goes to its build log. */
export function operationContext(input: {
  logger: Logger;
  signal: AbortSignal;
  scope: Scope;
  log: LogWriter;
}): OperationContext {
  return {
    logger: pluginLogger(input.logger),
    signal: input.signal,
    scope: input.scope,
    progress: (message) => input.log.system(message),
    output: (stream, text) => input.log.write('build', stream, text),
  };
}
