import { collect } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import { stringOption } from '../args.ts';
import type { CommandContext } from '../command.ts';

export interface DevelopmentVariables {
  /** Variables with a value, as the development environment holds them. */
  values: Record<string, string>;
  /** Sensitive keys: the API never returns their values. */
  sensitive: string[];
}

/**
 * The development environment's variables of the project that --project or the link of `dir`
 * names; none (and a note) when the folder is not linked, so that dev works offline too.
 */
export async function developmentVariables(
  context: CommandContext,
  dir: string,
): Promise<DevelopmentVariables> {
  const project = stringOption(context.options, 'project') ?? (await context.link(dir))?.projectId;
  if (!project) {
    context.io.err(
      'Not linked to a project: running without its development variables (run "helix link").\n',
    );
    return { values: {}, sensitive: [] };
  }
  const client = await context.client();
  const vars = await collect(
    client.paginate((page) => client.listEnvVars(project, { environment: 'development', ...page })),
  );
  const values: Record<string, string> = {};
  const sensitive: string[] = [];
  for (const variable of vars) {
    if (variable.value === undefined) sensitive.push(variable.key);
    else values[variable.key] = variable.value;
  }
  return { values, sensitive };
}

/** Names the sensitive keys that neither the API nor the shell provides. */
export function warnMissing(context: CommandContext, { sensitive }: DevelopmentVariables): void {
  const missing = sensitive.filter((key) => context.io.env[key] === undefined);
  if (missing.length === 0) return;
  context.io.err(
    `Sensitive variables are not sent to your machine: ${missing.join(', ')}. Set them in your shell to use them with helix dev.\n`,
  );
}

export function portOption(raw: string | undefined): number {
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    throw new HelixError(
      'HLX_CLI_USAGE',
      `--port must be a port number from 1 to 65535; run "helix dev --help".`,
    );
  }
  return port;
}
