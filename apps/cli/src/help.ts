import { globalOptions } from './args.ts';
import type { Command, CommandGroup, OptionSpec, RegistryEntry } from './command.ts';
import { isGroup, isPassthrough } from './command.ts';

function optionLabel(name: string, spec: OptionSpec): string {
  const long = `--${name}${spec.valueName ? ` ${spec.valueName}` : ''}`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

/** Two aligned columns, indented. */
function columns(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}\n`).join('');
}

function optionsSection(title: string, options: Record<string, OptionSpec>): string {
  const rows = Object.entries(options).map(
    ([name, spec]) => [optionLabel(name, spec), spec.description] as const,
  );
  return rows.length === 0 ? '' : `\n${title}:\n${columns(rows)}`;
}

/** "env add <KEY> <value>"; the full usage line adds "helix" before and "[options]" after. */
function commandLine(path: string, command: Command): string {
  const args = (command.arguments ?? []).map((arg) => (arg.optional ? `[${arg.name}]` : `<${arg.name}>`));
  return [path, ...args, ...(command.synopsis ? [command.synopsis] : [])].join(' ');
}

export function commandHelp(path: string, command: Command): string {
  return (
    `Usage: helix ${commandLine(path, command)} [options]\n\n${command.summary}.\n` +
    optionsSection('Options', command.options ?? {}) +
    optionsSection('Global options', globalOptions)
  );
}

export function groupHelp(name: string, group: CommandGroup): string {
  const rows = Object.entries(group.subcommands).map(
    ([sub, command]) => [commandLine(`${name} ${sub}`, command), command.summary] as const,
  );
  return `Usage: helix ${name} <command> [options]\n\n${group.summary}.\n\nCommands:\n${columns(rows)}\nRun "helix ${name} <command> --help" for its options.\n`;
}

const versionOption: OptionSpec = { type: 'boolean', short: 'v', description: 'Print the version' };

export function topHelp(version: string, registry: Record<string, RegistryEntry>): string {
  const rows: [string, string][] = [];
  for (const [name, entry] of Object.entries(registry)) {
    if (isPassthrough(entry)) rows.push([entry.usage.replace(/^helix /, ''), entry.summary]);
    else if (isGroup(entry)) {
      for (const [sub, command] of Object.entries(entry.subcommands)) {
        rows.push([commandLine(`${name} ${sub}`, command), command.summary]);
      }
    } else rows.push([commandLine(name, entry), entry.summary]);
  }
  return (
    `helix ${version}: deploy and manage apps on a HelixStack server.\n\nUsage: helix <command> [options]\n\nCommands:\n${columns(rows)}` +
    optionsSection('Global options', { ...globalOptions, version: versionOption }) +
    '\nEnvironment: HELIX_API_URL, HELIX_TOKEN, HELIX_CONFIG_DIR.\nRun "helix <command> --help" for the arguments and options of a command.\n'
  );
}
