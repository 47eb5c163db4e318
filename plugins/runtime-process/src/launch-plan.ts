import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Artifact, DeploySpec } from '@helixstack/sdk';
import type { DeploymentCgroups } from './cgroups.ts';

export interface LaunchInput {
  artifact: Artifact;
  spec: DeploySpec;
  host: string;
  port: number;
  cgroups: DeploymentCgroups | undefined;
  /** Path of util-linux prlimit, when installed: the fallback for the process limit. */
  prlimit: string | undefined;
}

export interface LaunchPlan {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** The limits that apply and how, for the deployment's log: "memory 256 MB (cgroup)". */
  limits: string[];
}

const defaultPath = '/usr/local/bin:/usr/bin:/bin';

/** The first executable called `name` on PATH. */
export function findExecutable(name: string, path = process.env.PATH ?? defaultPath): string | undefined {
  for (const dir of path.split(':').filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * What to run and with which environment. The app gets none of the server's variables
 * (they hold database URLs and keys) beyond PATH: only the deployment's variables, the
 * artifact's, and PORT/HOST, which always win.
 */
export function planLaunch(input: LaunchInput): LaunchPlan {
  const { artifact, spec, cgroups, prlimit } = input;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? defaultPath,
    HOME: artifact.ref,
    ...spec.env,
    ...artifact.start?.env,
    PORT: String(input.port),
    HOST: input.host,
  };
  let argv = [...(artifact.start?.command ?? [])];
  const limits: string[] = [];
  const { memoryMb, maxProcesses } = spec.resources ?? {};
  if (memoryMb !== undefined) {
    // Node apps (and node started by npm scripts) keep their heap under the limit and fail
    // with a heap error instead of being killed; other programs ignore NODE_OPTIONS.
    if (!env.NODE_OPTIONS?.includes('--max-old-space-size')) {
      env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --max-old-space-size=${memoryMb}`.trim();
    }
    limits.push(
      cgroups?.memory ? `memory ${memoryMb} MB (cgroup)` : `node heap ${memoryMb} MB (NODE_OPTIONS only)`,
    );
  }
  if (maxProcesses !== undefined) {
    if (cgroups?.pids) {
      limits.push(`processes and threads ${maxProcesses} (cgroup)`);
    } else if (prlimit) {
      argv = [prlimit, `--nproc=${maxProcesses}`, '--', ...argv];
      limits.push(`processes and threads ${maxProcesses} (rlimit, counted per user)`);
    } else {
      limits.push('processes not limited (no writable cgroup, no prlimit)');
    }
  }
  return { file: argv[0]!, args: argv.slice(1), env, limits };
}
