import { basename } from 'node:path';
import type { HelixClient, Project } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import { stringOption } from '../args.ts';
import type { CommandContext } from '../command.ts';
import { writeLink } from '../project-link.ts';

/** "My App_2" -> "my-app-2": a folder name made a DNS label, or '' when nothing is left. */
export function toDnsLabel(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 63)
    .replace(/-$/, '');
}

async function findOrCreate(
  client: HelixClient,
  name: string,
): Promise<{ project: Project; created: boolean }> {
  try {
    return { project: await client.getProject(name), created: false };
  } catch (error) {
    if (!(error instanceof HelixError) || error.code !== 'HLX_NOT_FOUND') throw error;
    return { project: await client.createProject(name), created: true };
  }
}

/**
 * The project `helix deploy` deploys to: --project, else the link of `dir`, else the project
 * named after the folder, created when missing and then linked, saying so on stderr.
 */
export async function resolveDeployProject(
  context: CommandContext,
  client: HelixClient,
  dir: string,
): Promise<Project> {
  const explicit = stringOption(context.options, 'project') ?? (await context.link(dir))?.projectId;
  if (explicit) return client.getProject(explicit);
  const name = toDnsLabel(basename(dir));
  if (name === '') {
    throw new HelixError(
      'HLX_CLI_USAGE',
      `The folder name "${basename(dir)}" cannot name a project; pass --project <name>.`,
    );
  }
  const { project, created } = await findOrCreate(client, name);
  const path = await writeLink(dir, {
    projectId: project.id,
    projectName: project.name,
    apiUrl: client.apiUrl,
  });
  context.io.err(
    `${created ? 'Created project' : 'Using project'} ${project.name} and linked ${dir} to it (${path}).\n`,
  );
  return project;
}
