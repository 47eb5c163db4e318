import type { ProductionAlias } from '@helixstack/client';
import type { Command, CommandContext } from '../command.ts';
import { printJson } from '../output.ts';
import { projectOption } from './deployments.ts';

function report(context: CommandContext, verb: string, { production }: ProductionAlias): void {
  if (context.json) printJson(context.io, { production });
  else context.io.out(`${verb} ${production.deploymentId}: production is ${production.url}\n`);
}

export const promote: Command = {
  summary: 'Point production at a READY deployment, at once and without a rebuild',
  arguments: [{ name: 'deployment-id' }],
  options: projectOption,
  async run(context) {
    const project = await context.project();
    const client = await context.client();
    report(context, 'Promoted', await client.promote(project, context.positionals[0]!));
  },
};

export const rollback: Command = {
  summary: 'Point production back at a deployment (default: the previous production one)',
  arguments: [{ name: 'deployment-id', optional: true }],
  options: projectOption,
  async run(context) {
    const project = await context.project();
    const client = await context.client();
    report(context, 'Rolled back to', await client.rollback(project, context.positionals[0]));
  },
};
