import type { OperationContext, Scope } from '@helixstack/sdk';

export interface WatchedContext {
  ctx: OperationContext;
  /** Everything the plug-in logged, printed or reported as progress, fields included, as one text. */
  seen(): string;
}

/** A context that keeps every word a plug-in says, to prove that no secret is among them. */
export function watchedContext(
  scope: Scope = { org: 'acme', project: 'web', environment: 'production' },
): WatchedContext {
  const said: string[] = [];
  const log = (message: string, fields?: Record<string, unknown>): void => {
    said.push(message, JSON.stringify(fields ?? {}));
  };
  return {
    seen: () => said.join('\n'),
    ctx: {
      logger: { debug: log, info: log, warn: log, error: log },
      signal: new AbortController().signal,
      scope,
      progress: (message) => said.push(message),
      output: (_stream, text) => said.push(text),
    },
  };
}
