import type { HelixClient } from '@helixstack/client';
import type { Io } from './output.ts';
import type { ProjectLink } from './project-link.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help, e.g. "<name>" for --project <name>. */
  valueName?: string;
  /** May be given more than once; the values arrive as a string[]. */
  multiple?: boolean;
  description: string;
}

export interface ArgumentSpec {
  name: string;
  optional?: boolean;
}

export type OptionValues = Record<string, string | string[] | boolean | undefined>;

/** What a command gets to work with; settings are resolved only when a command asks for them. */
export interface CommandContext {
  io: Io;
  /** True when --json was given: print the API object as JSON on stdout, nothing else. */
  json: boolean;
  positionals: string[];
  options: OptionValues;
  /** The API base URL: --api-url, else HELIX_API_URL, else the stored login's, else the default. */
  apiUrl(): Promise<string>;
  /** A client authenticated with --token, HELIX_TOKEN or the stored login. */
  client(): Promise<HelixClient>;
  /** The project id or name: --project, else the .helix/project.json nearest to fromDir (default cwd). */
  project(fromDir?: string): Promise<string>;
  /** The link nearest to dir for this API URL; undefined when there is none, an error when it is for another. */
  link(dir: string): Promise<ProjectLink | undefined>;
}

/** A leaf command such as `helix projects ls`. */
export interface Command {
  summary: string;
  arguments?: readonly ArgumentSpec[];
  /** Required options to show in the usage line, e.g. "--token <token>". */
  synopsis?: string;
  options?: Record<string, OptionSpec>;
  /** Resolves to the exit code, 0 when nothing is returned. */
  // biome-ignore lint/suspicious/noConfusingVoidType: commands end with `return printJson(...)`, which is void.
  run(context: CommandContext): Promise<number | void>;
}

/** A command with subcommands such as `helix projects`. */
export interface CommandGroup {
  summary: string;
  subcommands: Record<string, Command>;
}

/** A command that takes its argv untouched and may keep running, such as `helix server`. */
export interface PassthroughCommand {
  summary: string;
  usage: string;
  passthrough(argv: string[], io: Io): Promise<number | undefined>;
}

export type RegistryEntry = Command | CommandGroup | PassthroughCommand;

export function isGroup(entry: RegistryEntry): entry is CommandGroup {
  return 'subcommands' in entry;
}

export function isPassthrough(entry: RegistryEntry): entry is PassthroughCommand {
  return 'passthrough' in entry;
}
