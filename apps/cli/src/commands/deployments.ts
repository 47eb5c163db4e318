import { integerOption } from '../args.ts';
import type { Command, OptionSpec } from '../command.ts';
import { describeDeployment } from '../deploy/describe.ts';
import { formatAge } from '../format.ts';
import { printJson, printList } from '../output.ts';

export const projectOption: Record<string, OptionSpec> = {
  project: {
    type: 'string',
    valueName: '<name>',
    description: 'Project name or id (default: the linked one)',
  },
};

export const ls: Command = {
  summary: "List a project's deployments, newest first",
  options: {
    ...projectOption,
    limit: { type: 'string', short: 'n', valueName: '<n>', description: 'How many (1-100, default 20)' },
  },
  async run(context) {
    const limit = integerOption(context.options, 'limit', { min: 1, max: 100, fallback: 20 }, 'helix ls');
    const project = await context.project();
    const client = await context.client();
    const { items } = await client.listDeployments(project, { limit });
    if (context.json) return printJson(context.io, items);
    const now = Date.now();
    printList(
      context.io,
      items,
      {
        id: (d) => d.id,
        state: (d) => d.state,
        environment: (d) => d.environment,
        url: (d) => d.urls.production ?? d.url,
        age: (d) => formatAge(d.createdAt, now),
      },
      'No deployments yet; run "helix deploy".',
    );
  },
};

export const inspect: Command = {
  summary: 'Show everything about a deployment: state, URLs, build plan, artifact, instance',
  arguments: [{ name: 'deployment-id' }],
  async run(context) {
    const client = await context.client();
    const deployment = await client.getDeployment(context.positionals[0]!);
    if (context.json) return printJson(context.io, deployment);
    context.io.out(describeDeployment(deployment, Date.now()));
  },
};
