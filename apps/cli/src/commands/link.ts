import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { HelixClient, Project } from '@helixstack/client';
import { HelixError, isDnsLabel } from '@helixstack/sdk';
import { stringOption } from '../args.ts';
import type { Command } from '../command.ts';
import { printJson } from '../output.ts';
import { writeLink } from '../project-link.ts';

async function existingDirectory(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new HelixError('HLX_CLI_USAGE', `${path} is not a directory.`);
  return path;
}

async function findOrCreate(client: HelixClient, name: string, create: boolean): Promise<Project> {
  try {
    return await client.getProject(name);
  } catch (error) {
    if (!(error instanceof HelixError) || error.code !== 'HLX_NOT_FOUND') throw error;
    if (!create) throw new HelixError('HLX_NOT_FOUND', `No project "${name}"; pass --create to create it.`);
    return client.createProject(name);
  }
}

export const link: Command = {
  summary: 'Link a directory to a project by writing <dir>/.helix/project.json',
  arguments: [{ name: 'dir', optional: true }],
  options: {
    project: {
      type: 'string',
      valueName: '<name>',
      description: 'Project name or id (default: the directory name)',
    },
    create: { type: 'boolean', description: 'Create the project when it does not exist' },
  },
  async run(context) {
    const dir = await existingDirectory(resolve(context.io.cwd, context.positionals[0] ?? '.'));
    const name = stringOption(context.options, 'project') ?? basename(dir);
    if (!context.options.project && !isDnsLabel(name)) {
      throw new HelixError(
        'HLX_CLI_USAGE',
        `The directory name "${name}" is not a project name; pass --project <name>.`,
      );
    }
    const client = await context.client();
    const project = await findOrCreate(client, name, context.options.create === true);
    const projectLink = { projectId: project.id, projectName: project.name, apiUrl: client.apiUrl };
    const path = await writeLink(dir, projectLink);
    if (context.json) return printJson(context.io, projectLink);
    context.io.out(`Linked ${dir} to project ${project.name} (${project.id}); wrote ${path}.\n`);
  },
};
