import { followLogsResuming, type LogSource, logSources } from '@helixstack/client';
import { stringOption, usageError } from '../args.ts';
import type { Command } from '../command.ts';
import { parseTarget, productionDeploymentId } from '../deploy/target.ts';
import { asLine } from '../format.ts';

function sourceOption(value: string | undefined): LogSource | undefined {
  if (value === undefined) return undefined;
  if (!(logSources as readonly string[]).includes(value)) {
    throw usageError(`--source must be ${logSources.join(', ')}`, 'helix logs');
  }
  return value as LogSource;
}

export const logs: Command = {
  summary: "Print a deployment's build, runtime and system log (a project name: its production's)",
  arguments: [{ name: 'deployment-id|project' }],
  options: {
    follow: {
      type: 'boolean',
      short: 'f',
      description: 'Keep printing new lines; reconnects if the connection drops',
    },
    source: { type: 'string', valueName: '<source>', description: 'Only build, runtime or system lines' },
  },
  async run(context) {
    const source = sourceOption(stringOption(context.options, 'source'));
    const follow = context.options.follow === true;
    const client = await context.client();
    const target = parseTarget(context.positionals[0]!);
    const id =
      target.kind === 'deployment' ? target.id : (await productionDeploymentId(client, target.name)).id;
    const events = followLogsResuming(client, id, {
      follow,
      ...(source ? { source } : {}),
      onReconnect: (error) => context.io.err(`Log stream interrupted (${error.message}); reconnecting…\n`),
    });
    for await (const event of events) {
      if (event.type !== 'log') continue;
      // The app's stderr is part of its log, so every line goes to stdout.
      if (context.json) context.io.out(`${JSON.stringify(event)}\n`);
      else context.io.out(asLine(`${event.time} ${event.source} ${event.text}`));
    }
  },
};
