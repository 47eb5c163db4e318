import { collect, type HelixClient } from '@helixstack/client';
import { HelixError, isEnvKey } from '@helixstack/sdk';
import { stringOption } from '../args.ts';
import type { Command, CommandContext, CommandGroup, OptionSpec } from '../command.ts';
import { formatDate, printJson, printList } from '../output.ts';

const defaultEnvironment = 'production';

const scopeOptions: Record<string, OptionSpec> = {
  project: {
    type: 'string',
    valueName: '<name>',
    description: 'Project name or id (default: the linked one)',
  },
  environment: {
    type: 'string',
    short: 'e',
    valueName: '<name>',
    description: `Environment (default: ${defaultEnvironment})`,
  },
};

interface Scope {
  client: HelixClient;
  project: string;
  environment: string;
}

async function scopeOf(context: CommandContext): Promise<Scope> {
  const project = await context.project();
  const environment = stringOption(context.options, 'environment') ?? defaultEnvironment;
  return { client: await context.client(), project, environment };
}

async function listVars({ client, project, environment }: Scope) {
  return collect(client.paginate((page) => client.listEnvVars(project, { environment, ...page })));
}

const ls: Command = {
  summary: 'List the variables of an environment (sensitive values are never shown)',
  options: scopeOptions,
  async run(context) {
    const envVars = await listVars(await scopeOf(context));
    if (context.json) return printJson(context.io, envVars);
    printList(
      context.io,
      envVars,
      {
        key: (v) => v.key,
        environment: (v) => v.environment,
        value: (v) => (v.sensitive ? '(sensitive)' : (v.value ?? '')),
        updated: (v) => formatDate(v.updatedAt),
      },
      'No variables.',
    );
  },
};

/** A value of "-" is read from stdin, so secrets need not appear in shell history. */
async function resolveValue(context: CommandContext, given: string): Promise<string> {
  if (given !== '-') return given;
  return (await context.io.readStdin()).replace(/\r?\n$/, '');
}

const add: Command = {
  summary: 'Set a variable, replacing one with the same key (value "-" reads stdin)',
  arguments: [{ name: 'KEY' }, { name: 'value' }],
  options: {
    ...scopeOptions,
    sensitive: { type: 'boolean', description: 'Write-only: the value is never shown again' },
  },
  async run(context) {
    const [key, given] = context.positionals as [string, string];
    if (!isEnvKey(key)) throw new HelixError('HLX_INVALID_ENV_KEY');
    const scope = await scopeOf(context);
    const value = await resolveValue(context, given);
    const input = {
      key,
      value,
      environment: scope.environment,
      sensitive: context.options.sensitive === true,
    };
    const { envVar, created } = await scope.client.setEnvVar(scope.project, input);
    if (context.json) return printJson(context.io, envVar);
    context.io.out(`${created ? 'Added' : 'Updated'} ${key} in ${scope.environment}.\n`);
  },
};

const rm: Command = {
  summary: 'Remove a variable from an environment',
  arguments: [{ name: 'KEY' }],
  options: scopeOptions,
  async run(context) {
    const key = context.positionals[0]!;
    const scope = await scopeOf(context);
    const envVar = (await listVars(scope)).find((candidate) => candidate.key === key);
    if (!envVar) throw new HelixError('HLX_NOT_FOUND', `No variable ${key} in ${scope.environment}.`);
    await scope.client.deleteEnvVar(scope.project, envVar.id);
    if (context.json) return printJson(context.io, envVar);
    context.io.out(`Removed ${key} from ${scope.environment}.\n`);
  },
};

export const env: CommandGroup = {
  summary: 'List, set and remove environment variables of a project',
  subcommands: { ls, add, rm },
};
