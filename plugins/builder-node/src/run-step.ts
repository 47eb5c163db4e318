import { spawn } from 'node:child_process';
import { HelixError, type OperationContext } from '@helixstack/sdk';
import { LineSplitter } from './line-splitter.ts';

export interface Step {
  /** Names the step in errors and progress: "install", "build". */
  label: string;
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Kills the step after this long (tool installs); builds rely on ctx.signal. */
  timeoutMs?: number;
}

const drainGraceMs = 5000;

function killGroup(pid: number | undefined): void {
  try {
    if (pid !== undefined) process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs one step with an argument array in its own process group, streaming stdout and
 * stderr to ctx.output line by line. Abort (or the timeout) kills the whole group, so the
 * scripts a package manager started die with it, and so does anything the step leaves
 * running when it exits. A non-zero exit throws HLX_BUILD_FAILED
 * after the output is already in the log. The command line is logged, never the env.
 */
export function runStep(ctx: OperationContext, step: Step): Promise<void> {
  if (ctx.signal.aborted) return Promise.reject(ctx.signal.reason);
  const shown = step.argv.join(' ');
  ctx.output('system', `$ ${shown}`);
  return new Promise((done, fail) => {
    const [command = '', ...args] = step.argv;
    const child = spawn(command, args, {
      cwd: step.cwd,
      env: step.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let timedOut = false;
    const kill = (): void => killGroup(child.pid);
    const timer =
      step.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            kill();
          }, step.timeoutMs);
    ctx.signal.addEventListener('abort', kill, { once: true });
    const stdout = new LineSplitter((line) => ctx.output('stdout', line));
    const stderr = new LineSplitter((line) => ctx.output('stderr', line));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      clearTimeout(drainTimer);
      ctx.signal.removeEventListener('abort', kill);
    };
    // A step is over when its main process exits: what it left running in its group is
    // killed, and pipes still held by an escaped process are closed after a grace period.
    child.on('exit', () => {
      kill();
      drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, drainGraceMs);
    });
    let settled = false;
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish();
      if (settled) return;
      settled = true;
      const reason = error.code === 'ENOENT' ? `${command} was not found on PATH` : error.message;
      ctx.output('system', `could not start ${command}: ${reason}`);
      fail(
        new HelixError('HLX_BUILD_FAILED', `The ${step.label} step could not start: ${reason}.`, {
          step: step.label,
        }),
      );
    });
    child.on('close', (code, signal) => {
      finish();
      stdout.end();
      stderr.end();
      if (settled) return;
      settled = true;
      if (ctx.signal.aborted) return fail(ctx.signal.reason);
      if (code === 0) return done();
      const how = timedOut
        ? `was stopped after ${Math.round((step.timeoutMs ?? 0) / 1000)} s`
        : code === null
          ? `was killed by ${signal}`
          : `failed with exit code ${code}`;
      ctx.output('system', `the ${step.label} step (${shown}) ${how}`);
      fail(
        new HelixError(
          'HLX_BUILD_FAILED',
          `The ${step.label} step (${shown}) ${how}; its output is in the build log.`,
          { step: step.label, exitCode: code },
        ),
      );
    });
  });
}
