import { HelixError } from '@helixstack/sdk';
import packageJson from '../package.json' with { type: 'json' };
import { parseCommandArgs, splitLeadingOptions, usageError } from './args.ts';
import type { Command } from './command.ts';
import { isGroup, isPassthrough } from './command.ts';
import { registry } from './commands/index.ts';
import { createContext } from './context.ts';
import { commandHelp, groupHelp, topHelp } from './help.ts';
import { type Io, processIo } from './output.ts';

const usageExitCode = 2;
const isHelp = (token: string | undefined) => token === '--help' || token === '-h';

async function runCommand(path: string, command: Command, args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, `helix ${path}`, command.options ?? {}, command.arguments ?? []);
  if (parsed.options.help) {
    io.out(commandHelp(path, command));
    return 0;
  }
  return (await command.run(createContext(io, parsed.options, parsed.positionals))) ?? 0;
}

/** Finds the command named by argv in the registry and runs it; returns the exit code. */
async function dispatch(argv: string[], io: Io): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.out(`${packageJson.version}\n`);
    return 0;
  }
  const { leading, rest } = splitLeadingOptions(argv);
  const [name, ...afterName] = rest;
  if (isHelp(name)) {
    io.out(topHelp(packageJson.version, registry));
    return 0;
  }
  if (name === undefined) {
    io.err(topHelp(packageJson.version, registry));
    return usageExitCode;
  }
  const entry = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!entry) throw usageError(`Unknown command "${name}"`);
  if (isPassthrough(entry)) return (await entry.passthrough(afterName, io)) ?? 0;
  if (!isGroup(entry)) return runCommand(name, entry, [...leading, ...afterName], io);

  const [sub, ...args] = afterName;
  if (isHelp(sub)) {
    io.out(groupHelp(name, entry));
    return 0;
  }
  if (sub === undefined) {
    io.err(groupHelp(name, entry));
    return usageExitCode;
  }
  const command = Object.hasOwn(entry.subcommands, sub) ? entry.subcommands[sub] : undefined;
  if (!command) throw usageError(`Unknown command "${name} ${sub}"`, `helix ${name}`);
  return runCommand(`${name} ${sub}`, command, [...leading, ...args], io);
}

/** Prints an error as "Error HLX_CODE: message"; usage errors exit 2, everything else 1. */
function report(error: unknown, io: Io): number {
  const helixError =
    error instanceof HelixError
      ? error
      : new HelixError('HLX_INTERNAL', error instanceof Error ? error.message : String(error));
  io.err(`Error ${helixError.code}: ${helixError.message}\n`);
  for (const [key, value] of Object.entries(helixError.details ?? {})) {
    io.err(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  }
  if (io.env.HELIX_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  return helixError.code === 'HLX_CLI_USAGE' ? usageExitCode : 1;
}

/** Runs the helix command line and returns its exit code; it never calls process.exit. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io);
  }
}

// Run when this file is the program itself (the bundle, or node src/main.ts); bin/helix.js calls main().
if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
