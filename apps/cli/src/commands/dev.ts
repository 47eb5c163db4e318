import { access, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { NodePlanDetails } from '@helixstack/builder-node';
import { HelixError } from '@helixstack/sdk';
import { stringOption } from '../args.ts';
import type { Command, CommandContext } from '../command.ts';
import { detectDevPlan, findStaticOutput } from '../dev/detect.ts';
import { developmentVariables, portOption, warnMissing } from '../dev/dev-env.ts';
import { runForeground } from '../dev/foreground.ts';
import { closeOnSignal, serveStatic } from '../dev/static-server.ts';

async function appDirectory(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new HelixError('HLX_CLI_USAGE', `${path} is not a directory.`);
  return path;
}

async function serveFolder(context: CommandContext, dir: string, port: number): Promise<number> {
  const server = await serveStatic(dir, port);
  context.io.err(`Serving ${dir} on http://127.0.0.1:${port} (Ctrl-C stops).\n`);
  return closeOnSignal(server);
}

/** Runs one step (install, build) and stops helix dev with its exit code when it fails. */
async function step(
  argv: string[],
  dir: string,
  env: NodeJS.ProcessEnv,
  context: CommandContext,
): Promise<void> {
  context.io.err(`> ${argv.join(' ')}\n`);
  const code = await runForeground(argv, { cwd: dir, env });
  if (code !== 0) {
    throw new HelixError(
      'HLX_BUILD_FAILED',
      `"${argv.join(' ')}" exited with code ${code}; fix it and run helix dev again.`,
    );
  }
}

async function runNodeApp(
  context: CommandContext,
  dir: string,
  details: NodePlanDetails,
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<number> {
  const manager = details.packageManager.name;
  const hasModules = await access(join(dir, 'node_modules')).then(
    () => true,
    () => false,
  );
  if (details.install && !hasModules) await step([manager, ...details.install], dir, env, context);
  if (details.build) await step([manager, 'run', 'build'], dir, env, context);
  if (details.start === null) {
    const output = await findStaticOutput(dir);
    if (!output) throw new HelixError('HLX_BUILD_NO_OUTPUT');
    return serveFolder(context, output, port);
  }
  // Started as the platform starts it: node with the arguments, or the start script under sh.
  const argv =
    details.start.via === 'node'
      ? [process.execPath, ...details.start.args]
      : ['/bin/sh', '-c', details.start.script];
  context.io.err(`Starting on http://127.0.0.1:${port}: ${argv.slice(1).join(' ')}\n`);
  return runForeground(argv, { cwd: dir, env });
}

export const dev: Command = {
  summary:
    "Run the app locally as the platform builds and starts it, with the development environment's variables",
  arguments: [{ name: 'dir', optional: true }],
  options: {
    port: {
      type: 'string',
      short: 'p',
      valueName: '<n>',
      description: 'Port given to the app as PORT (default 3000)',
    },
    project: {
      type: 'string',
      valueName: '<name>',
      description: 'Project whose development variables to use (default: the linked one)',
    },
  },
  async run(context) {
    const port = portOption(stringOption(context.options, 'port'));
    const dir = await appDirectory(resolve(context.io.cwd, context.positionals[0] ?? '.'));
    const plan = await detectDevPlan(dir, join(tmpdir(), 'helix-dev-tools'));
    const variables = await developmentVariables(context, dir);
    warnMissing(context, variables);
    if (plan.kind === 'static') return serveFolder(context, dir, port);
    context.io.err(`Detected: ${plan.summary}\n`);
    const path = [
      dirname(process.execPath),
      join(dir, 'node_modules', '.bin'),
      context.io.env.PATH ?? '',
    ].join(delimiter);
    const env = { ...context.io.env, ...variables.values, PATH: path, PORT: String(port) };
    return runNodeApp(context, dir, plan.details, env, port);
  },
};
