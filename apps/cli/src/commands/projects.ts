import { collect, type Project } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import type { Command, CommandContext, CommandGroup } from '../command.ts';
import { formatDate, printJson, printList } from '../output.ts';
import { confirmByTyping } from '../prompt.ts';

const ls: Command = {
  summary: 'List the projects of your org',
  async run(context) {
    const client = await context.client();
    const projects = await collect(client.paginate((page) => client.listProjects(page)));
    if (context.json) return printJson(context.io, projects);
    printList(
      context.io,
      projects,
      { id: (p) => p.id, name: (p) => p.name, created: (p) => formatDate(p.createdAt) },
      'No projects yet; create one with "helix projects create <name>".',
    );
  },
};

const create: Command = {
  summary: 'Create a project (the name is a DNS label: a-z, 0-9 and -)',
  arguments: [{ name: 'name' }],
  async run(context) {
    const client = await context.client();
    const project = await client.createProject(context.positionals[0]!);
    if (context.json) return printJson(context.io, project);
    context.io.out(`Created project ${project.name} (${project.id}).\n`);
  },
};

async function confirmDeletion(context: CommandContext, project: Project): Promise<void> {
  if (context.options.yes === true) return;
  if (!context.io.stdinIsTty) {
    throw new HelixError(
      'HLX_CLI_USAGE',
      `Deleting project "${project.name}" needs --yes when not run in a terminal.`,
    );
  }
  const confirmed = await confirmByTyping(
    `This deletes project ${project.name}, its environments and variables. Type its name to confirm: `,
    project.name,
  );
  if (!confirmed) throw new HelixError('HLX_CLI_USAGE', 'Not confirmed; nothing was deleted.');
}

const rm: Command = {
  summary: 'Delete a project with its environments and variables',
  arguments: [{ name: 'name' }],
  options: { yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation' } },
  async run(context) {
    const client = await context.client();
    const project = await client.getProject(context.positionals[0]!);
    await confirmDeletion(context, project);
    await client.deleteProject(project.id);
    if (context.json) return printJson(context.io, project);
    context.io.out(`Deleted project ${project.name} (${project.id}).\n`);
  },
};

export const projects: CommandGroup = {
  summary: 'List, create and delete projects',
  subcommands: { ls, create, rm },
};
