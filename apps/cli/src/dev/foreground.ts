import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { HelixError } from '@helixstack/sdk';

const forwarded: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a program in the foreground with helix's terminal, forwarding SIGINT, SIGTERM and
 * SIGHUP to it, and resolves with its exit code (128 + the signal number when a signal ended
 * it), as a shell reports it. A program that is not installed is an error naming it.
 */
export function runForeground(
  argv: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<number> {
  const [command = '', ...args] = argv;
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of forwarded) process.on(signal, forward);
  const stopForwarding = () => {
    for (const signal of forwarded) process.off(signal, forward);
  };
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      stopForwarding();
      if (error.code !== 'ENOENT') return reject(error);
      reject(
        new HelixError(
          'HLX_CLI_USAGE',
          `${command} is not installed or not on PATH; install it to run this app.`,
        ),
      );
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
