import { HelixClient } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import { stringOption } from '../args.ts';
import type { Command } from '../command.ts';
import { configPath, removeLogin, writeLogin } from '../config.ts';
import { printJson } from '../output.ts';

export const login: Command = {
  summary: 'Check an API token with the server and store it for later commands ("-" reads stdin)',
  synopsis: '--token <token>',
  async run(context) {
    const given = stringOption(context.options, 'token');
    if (!given)
      throw new HelixError(
        'HLX_CLI_USAGE',
        'helix login needs --token <token> (or --token - to read it from stdin).',
      );
    const token = given === '-' ? (await context.io.readStdin()).trim() : given;
    const apiUrl = await context.apiUrl();
    const whoami = await new HelixClient({ apiUrl, token }).whoami();
    const path = await writeLogin(context.io.env, { apiUrl, token });
    if (context.json) return printJson(context.io, { apiUrl, ...whoami });
    context.io.out(
      `Logged in to ${apiUrl} as ${whoami.user.email} (org ${whoami.org.name}, token "${whoami.token.name}", role ${whoami.token.role}).\nSaved to ${path}.\n`,
    );
  },
};

export const logout: Command = {
  summary: 'Forget the stored API token',
  async run(context) {
    const removed = await removeLogin(context.io.env);
    if (context.json) return printJson(context.io, { loggedOut: removed });
    context.io.out(removed ? `Logged out; removed ${configPath(context.io.env)}.\n` : 'Not logged in.\n');
  },
};

export const whoami: Command = {
  summary: 'Show the user, org and token in use',
  async run(context) {
    const client = await context.client();
    const me = await client.whoami();
    if (context.json) return printJson(context.io, me);
    context.io.out(
      [
        `User   ${me.user.name} <${me.user.email}>`,
        `Org    ${me.org.name}`,
        `Token  ${me.token.name} (${me.token.role})`,
        `API    ${client.apiUrl}`,
        '',
      ].join('\n'),
    );
  },
};
