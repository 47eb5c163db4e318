import type { PackageJson } from './package-json.ts';

/**
 * How the app starts, decided at detect time. `node` runs the selected Node binary with
 * these arguments; `script` runs the "start" script as npm would, with sh -c.
 */
export type StartPlan =
  | { via: 'node'; args: string[]; from: 'scripts.start' | 'main' | 'server.js' | 'index.js' }
  | { via: 'script'; script: string; from: 'scripts.start' };

/** Words that need no shell: "node --enable-source-maps dist/server.js". */
const plainWord = /^[\w./:=@+,%-]+$/;

export function startPlan(pkg: PackageJson, rootFiles: ReadonlySet<string>): StartPlan | null {
  const script = pkg.scripts.start;
  if (script !== undefined) {
    const words = script.trim().split(/\s+/);
    if (words[0] === 'node' && words.length > 1 && words.every((word) => plainWord.test(word))) {
      return { via: 'node', args: words.slice(1), from: 'scripts.start' };
    }
    return { via: 'script', script, from: 'scripts.start' };
  }
  if (pkg.main !== null) return { via: 'node', args: [pkg.main], from: 'main' };
  for (const file of ['server.js', 'index.js'] as const) {
    if (rootFiles.has(file)) return { via: 'node', args: [file], from: file };
  }
  return null;
}

/** The start command of the artifact: absolute node binary, paths relative to the app folder. */
export function startCommand(start: StartPlan, nodeBinary: string): string[] {
  return start.via === 'node' ? [nodeBinary, ...start.args] : ['/bin/sh', '-c', start.script];
}

export function describeStart(start: StartPlan | null): string {
  if (start === null) return 'static output';
  return start.via === 'node' ? `start: node ${start.args.join(' ')}` : `start: ${start.script}`;
}
