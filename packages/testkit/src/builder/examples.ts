import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example apps of the repository (examples/<name>), used as builder and runtime fixtures. */
export const exampleAppNames = ['node-http', 'express-app', 'static-site', 'bundled-app'] as const;
export type ExampleAppName = (typeof exampleAppNames)[number];

export function exampleAppDir(name: ExampleAppName): string {
  return fileURLToPath(new URL(`../../../../examples/${name}`, import.meta.url));
}

/** A request an example must answer: GET `path` returns a body containing `contains`. */
export interface ExampleProbe {
  path: string;
  contains: string;
}

/** The probes of an example (its probes.json). */
export async function exampleAppProbes(name: ExampleAppName): Promise<ExampleProbe[]> {
  return JSON.parse(await readFile(join(exampleAppDir(name), 'probes.json'), 'utf8')) as ExampleProbe[];
}
