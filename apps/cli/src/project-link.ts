import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HelixError } from '@helixstack/sdk';
import { readJsonFile } from './config.ts';

/** What `helix link` writes to <dir>/.helix/project.json. */
export interface ProjectLink {
  projectId: string;
  projectName: string;
  apiUrl: string;
}

export function linkPath(dir: string): string {
  return join(dir, '.helix', 'project.json');
}

/** Finds the nearest .helix/project.json in dir or its parents. */
export async function findLink(dir: string): Promise<{ link: ProjectLink; path: string } | undefined> {
  for (let current = dir; ; current = dirname(current)) {
    const path = linkPath(current);
    const data = await readJsonFile(path);
    if (data !== undefined) return { link: parseLink(data, path), path };
    if (dirname(current) === current) return undefined;
  }
}

function parseLink(data: unknown, path: string): ProjectLink {
  const { projectId, projectName, apiUrl } = (data ?? {}) as Partial<Record<keyof ProjectLink, unknown>>;
  if (typeof projectId !== 'string' || typeof projectName !== 'string' || typeof apiUrl !== 'string') {
    throw new HelixError(
      'HLX_CLI_CONFIG_INVALID',
      `${path} lacks projectId, projectName or apiUrl; run "helix link".`,
    );
  }
  return { projectId, projectName, apiUrl };
}

export async function writeLink(dir: string, link: ProjectLink): Promise<string> {
  const path = linkPath(dir);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(link, null, 2)}\n`);
  return path;
}
