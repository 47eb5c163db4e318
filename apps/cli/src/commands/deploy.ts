import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Deployment, Project } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import { stringListOption } from '../args.ts';
import type { Command } from '../command.ts';
import { parseEnvOverrides } from '../deploy/env-overrides.ts';
import { gitBranch } from '../deploy/git-branch.ts';
import { resolveDeployProject } from '../deploy/resolve-project.ts';
import { describeUpload, uploadSource } from '../deploy/upload.ts';
import { watchDeployment } from '../deploy/watch.ts';
import { printJson } from '../output.ts';

async function sourceDirectory(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new HelixError('HLX_CLI_USAGE', `${path} is not a directory.`);
  return path;
}

/** The URL to hand back: production's for --prod (the alias moved on READY), else the deployment's own. */
function resultUrl(deployment: Deployment, project: Project, prod: boolean): string {
  if (!prod) return deployment.url;
  return deployment.urls.production ?? project.urls?.production ?? deployment.url;
}

function failure(deployment: Deployment): HelixError {
  const reason = deployment.errorMessage ? `: ${deployment.errorMessage}` : '';
  return new HelixError(
    'HLX_CLI_DEPLOY_FAILED',
    `Deployment ${deployment.id} ended ${deployment.state}${reason}\nRead its log with: helix logs ${deployment.id}`,
  );
}

export const deploy: Command = {
  summary: 'Upload a folder, build and deploy it, print its URL (preview unless --prod)',
  arguments: [{ name: 'dir', optional: true }],
  options: {
    prod: { type: 'boolean', description: 'Deploy to production and print the production URL' },
    project: {
      type: 'string',
      valueName: '<name>',
      description: 'Project name or id (default: the linked one, else the folder name)',
    },
    env: {
      type: 'string',
      multiple: true,
      valueName: 'KEY=VALUE',
      description: 'A variable for this deployment only (repeatable)',
    },
  },
  async run(context) {
    const { io } = context;
    const dir = await sourceDirectory(resolve(io.cwd, context.positionals[0] ?? '.'));
    const env = parseEnvOverrides(stringListOption(context.options, 'env'), 'helix deploy');
    const prod = context.options.prod === true;
    const client = await context.client();
    const project = await resolveDeployProject(context, client, dir);
    const environment = prod ? 'production' : 'preview';
    io.err(`Deploying ${dir} to ${project.name} (${environment})…\n`);

    const uploaded = await uploadSource(client, dir);
    io.err(`${describeUpload(uploaded)}\n`);
    const branch = await gitBranch(dir);
    const created = await client.createDeployment(project.id, {
      environment,
      source: { type: 'upload', files: uploaded.files },
      ...(Object.keys(env).length > 0 ? { env } : {}),
      ...(branch ? { branch } : {}),
    });
    io.err(`Created deployment ${created.id}.\n`);

    await watchDeployment(client, created.id, io);
    const deployment = await client.getDeployment(created.id);
    const url = resultUrl(deployment, project, prod);
    if (context.json) {
      const { id, state, urls, environment: env, branch: from, errorMessage } = deployment;
      printJson(io, {
        id,
        url,
        state,
        urls,
        project: deployment.project,
        environment: env,
        branch: from,
        errorMessage,
      });
    }
    if (deployment.state !== 'READY') throw failure(deployment);
    if (deployment.urls.branch && !prod) io.err(`Branch URL: ${deployment.urls.branch}\n`);
    if (!context.json) io.out(`${url}\n`);
  },
};
