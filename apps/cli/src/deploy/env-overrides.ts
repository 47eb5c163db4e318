import { HelixError, isEnvKey } from '@helixstack/sdk';
import { usageError } from '../args.ts';

/** Turns --env KEY=VALUE options into an object; the value is everything after the first "=". */
export function parseEnvOverrides(pairs: readonly string[], commandLine: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals < 0) throw usageError(`--env needs KEY=VALUE, got "${pair.split(/\s/)[0]}"`, commandLine);
    const key = pair.slice(0, equals);
    if (!isEnvKey(key))
      throw new HelixError(
        'HLX_INVALID_ENV_KEY',
        `"${key}" is not a variable name: use [A-Za-z_][A-Za-z0-9_]*.`,
      );
    env[key] = pair.slice(equals + 1);
  }
  return env;
}
