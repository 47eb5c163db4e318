import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { HelixError } from '@helixstack/sdk';
import type { ArgumentSpec, OptionSpec, OptionValues } from './command.ts';

/** Options every command accepts, before or after the command name. */
export const globalOptions: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Print the API objects as JSON on stdout' },
  'api-url': { type: 'string', valueName: '<url>', description: 'API base URL (env HELIX_API_URL)' },
  token: { type: 'string', valueName: '<token>', description: 'API token (env HELIX_TOKEN)' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
};

export function usageError(message: string, commandLine = 'helix'): HelixError {
  return new HelixError('HLX_CLI_USAGE', `${message}; run "${commandLine} --help".`);
}

function toParseArgsConfig(options: Record<string, OptionSpec>): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  return config;
}

/** node:util's parse errors quote the offending token; keep that and drop its long advice. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `Unknown option "${quoted}"`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted) return `Unexpected argument "${quoted}"`;
  return message.split('. ')[0] ?? message;
}

export interface ParsedArgs {
  options: OptionValues;
  positionals: string[];
}

/**
 * Parses a command's arguments strictly: unknown options, a missing value or a wrong number of
 * positional arguments are HLX_CLI_USAGE errors. --help skips the positional count check.
 */
export function parseCommandArgs(
  args: string[],
  commandLine: string,
  options: Record<string, OptionSpec>,
  expected: readonly ArgumentSpec[],
): ParsedArgs {
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: toParseArgsConfig({ ...globalOptions, ...options }),
      strict: true,
      allowPositionals: true,
    }) as { values: OptionValues; positionals: string[] };
  } catch (error) {
    throw usageError(describeParseError(error), commandLine);
  }
  if (parsed.values.help) return { options: parsed.values, positionals: parsed.positionals };
  const required = expected.filter((argument) => !argument.optional);
  if (parsed.positionals.length < required.length) {
    const missing = required[parsed.positionals.length]?.name ?? 'argument';
    throw usageError(`Missing <${missing}>`, commandLine);
  }
  if (parsed.positionals.length > expected.length) {
    throw usageError(`Unexpected argument "${parsed.positionals[expected.length]}"`, commandLine);
  }
  return { options: parsed.values, positionals: parsed.positionals };
}

const globalValueOptions = new Set(['--api-url', '--token']);
const globalFlags = new Set(['--json']);

/**
 * Splits argv at the command name. Global options may come first (`helix --json projects ls`);
 * they are handed to the command as if written after it.
 */
export function splitLeadingOptions(argv: string[]): { leading: string[]; rest: string[] } {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length) {
    const token = argv[index] ?? '';
    const name = token.split('=')[0] ?? token;
    if (globalFlags.has(token) || (globalValueOptions.has(name) && token.includes('='))) {
      leading.push(token);
      index += 1;
    } else if (globalValueOptions.has(token)) {
      const value = argv[index + 1];
      if (value === undefined) throw usageError(`Option "${token}" needs a value`);
      leading.push(token, value);
      index += 2;
    } else {
      break;
    }
  }
  return { leading, rest: argv.slice(index) };
}

/** Reads a string option, or undefined when it was not given. */
export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a repeatable string option: every value given, in order. */
export function stringListOption(options: OptionValues, name: string): string[] {
  const value = options[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/** Reads a whole-number option within [min, max]; anything else is a usage error. */
export function integerOption(
  options: OptionValues,
  name: string,
  range: { min: number; max: number; fallback: number },
  commandLine: string,
): number {
  const raw = stringOption(options, name);
  if (raw === undefined) return range.fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < range.min || value > range.max) {
    throw usageError(`--${name} must be a whole number from ${range.min} to ${range.max}`, commandLine);
  }
  return value;
}
