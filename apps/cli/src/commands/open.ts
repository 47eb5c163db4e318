import { execFile } from 'node:child_process';
import type { HelixClient } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import type { Command, CommandContext } from '../command.ts';
import { parseTarget } from '../deploy/target.ts';
import { printJson } from '../output.ts';
import { projectOption } from './deployments.ts';

/** A project's production URL, else its newest deployment's. */
async function projectUrl(client: HelixClient, projectRef: string): Promise<string> {
  const project = await client.getProject(projectRef);
  if (project.productionDeploymentId) return project.urls.production;
  const newest = (await client.listDeployments(project.id, { limit: 1 })).items[0];
  if (!newest)
    throw new HelixError(
      'HLX_CLI_NO_DEPLOYMENT',
      `Project ${project.name} has no deployment yet; run "helix deploy".`,
    );
  return newest.url;
}

async function urlOf(context: CommandContext, client: HelixClient): Promise<string> {
  const argument = context.positionals[0];
  const target = argument === undefined ? undefined : parseTarget(argument);
  if (target?.kind === 'deployment') return (await client.getDeployment(target.id)).url;
  return projectUrl(client, target?.name ?? (await context.project()));
}

/** Hands the URL to the desktop's opener; where there is none (a server, CI) printing it is enough. */
function openInBrowser(url: string): Promise<void> {
  return new Promise((resolve) => {
    execFile('xdg-open', [url], { timeout: 10_000, windowsHide: true }, () => resolve());
  });
}

export const open: Command = {
  summary: "Print a deployment's URL (a project's: its production URL) and open it in the browser",
  arguments: [{ name: 'deployment-id|project', optional: true }],
  options: projectOption,
  async run(context) {
    const client = await context.client();
    const url = await urlOf(context, client);
    if (context.json) printJson(context.io, { url });
    else context.io.out(`${url}\n`);
    await openInBrowser(url);
  },
};
