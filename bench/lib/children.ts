// Starts a benchmark participant in its own process and waits for the port it listens on.
import { type ChildProcess, fork } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  port: number;
}

export function forkListening(script: string, args: string[] = [], timeoutMs = 15_000): Promise<Child> {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${script} did not report a port within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (message: unknown) => {
      clearTimeout(timer);
      const port = (message as { port?: unknown }).port;
      if (typeof port === 'number') resolve({ process: child, port });
      else reject(new Error(`${script} sent ${JSON.stringify(message)} instead of a port`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before listening`));
    });
  });
}

/** Asks a child to stop (it exits when its IPC channel closes) and waits for it. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
