import { execFile } from 'node:child_process';

/**
 * The branch checked out in `dir`, or undefined when git is missing, `dir` is not a work tree,
 * or HEAD is detached (git answers "HEAD").
 */
export function gitBranch(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', dir, 'rev-parse', '--abbrev-ref', 'HEAD'],
      { timeout: 10_000, windowsHide: true },
      (error, stdout) => {
        const branch = String(stdout).trim();
        resolve(error || branch === '' || branch === 'HEAD' ? undefined : branch);
      },
    );
  });
}
