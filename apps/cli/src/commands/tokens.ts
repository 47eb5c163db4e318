import { collect, isRole, roles } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import { stringOption } from '../args.ts';
import type { Command, CommandGroup } from '../command.ts';
import { formatDate, printJson, printList } from '../output.ts';

const ls: Command = {
  summary: 'List the API tokens of your org',
  async run(context) {
    const client = await context.client();
    const tokens = await collect(client.paginate((page) => client.listTokens(page)));
    if (context.json) return printJson(context.io, tokens);
    printList(
      context.io,
      tokens,
      {
        id: (t) => t.id,
        name: (t) => t.name,
        role: (t) => t.role,
        prefix: (t) => t.prefix,
        created: (t) => formatDate(t.createdAt),
        'last used': (t) => formatDate(t.lastUsedAt),
        status: (t) => (t.revokedAt ? `revoked ${formatDate(t.revokedAt)}` : 'active'),
      },
      'No tokens.',
    );
  },
};

const create: Command = {
  summary: 'Create an API token; its secret is printed once',
  arguments: [{ name: 'name' }],
  options: {
    role: {
      type: 'string',
      valueName: '<role>',
      description: `One of ${roles.join(', ')} (server default when absent)`,
    },
  },
  async run(context) {
    const role = stringOption(context.options, 'role');
    if (role !== undefined && !isRole(role)) {
      throw new HelixError('HLX_CLI_USAGE', `--role must be one of ${roles.join(', ')}.`);
    }
    const client = await context.client();
    const created = await client.createToken({ name: context.positionals[0]!, ...(role ? { role } : {}) });
    if (context.json) return printJson(context.io, created);
    const { token, secret } = created;
    context.io.out(
      `Created token ${token.name} (${token.id}, role ${token.role}). Its secret is shown this once:\n${secret}\n`,
    );
  },
};

const revoke: Command = {
  summary: 'Revoke an API token by id; it stops working at once',
  arguments: [{ name: 'id' }],
  async run(context) {
    const id = context.positionals[0]!;
    await (await context.client()).revokeToken(id);
    if (context.json) return printJson(context.io, { id, revoked: true });
    context.io.out(`Revoked token ${id}.\n`);
  },
};

export const tokens: CommandGroup = {
  summary: 'List, create and revoke API tokens',
  subcommands: { ls, create, revoke },
};
