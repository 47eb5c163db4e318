import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { HelixError } from '@helixstack/sdk';
import { alwaysExcluded, IgnoreRules } from './ignore-rules.ts';
import { tooLargeError, tooManyFilesError, type UploadLimits } from './limits.ts';
import type { SourceFile } from './manifest.ts';

export interface CollectOptions {
  /** Fail before uploading when the folder exceeds what the server accepts. */
  limits?: UploadLimits;
  /** Extra patterns, applied as if appended to .helixignore. */
  ignore?: readonly string[];
}

interface Walk {
  root: string;
  limits: UploadLimits | undefined;
  files: SourceFile[];
  bytes: number;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return undefined;
    throw error;
  }
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function symlinkOutside(path: string, target: string): HelixError {
  return new HelixError(
    'HLX_SOURCE_SYMLINK_OUTSIDE',
    `The symlink ${path} -> ${target} points outside the folder; remove it or add it to .helixignore.`,
    { path, target },
  );
}

/** A link is kept when it stays inside the root; an absolute one into the root is made relative. */
async function readSymlink(walk: Walk, path: string, absolute: string): Promise<SourceFile> {
  const target = await readlink(absolute);
  const resolved = resolve(dirname(absolute), target);
  if (!isInside(walk.root, resolved)) throw symlinkOutside(path, target);
  try {
    if (!isInside(walk.root, await realpath(absolute))) throw symlinkOutside(path, target);
  } catch (error) {
    // A dangling link is kept: the server checks its target again against the whole tree.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const symlinkTarget = isAbsolute(target) ? relative(dirname(absolute), resolved) || '.' : target;
  return { path, symlinkTarget: symlinkTarget.split(sep).join('/') };
}

function count(walk: Walk, bytes: number): void {
  walk.bytes += bytes;
  if (walk.limits && walk.files.length >= walk.limits.maxFiles) throw tooManyFilesError(walk.limits);
  if (walk.limits && walk.bytes > walk.limits.maxBytes) throw tooLargeError(walk.limits);
}

async function visit(walk: Walk, rules: IgnoreRules, path: string, entry: Dirent): Promise<void> {
  const absolute = resolve(walk.root, path);
  if (entry.isDirectory()) {
    if (!rules.ignores(path, true)) await walkFolder(walk, rules, path);
    return;
  }
  if (rules.ignores(path, false)) return;
  if (entry.isSymbolicLink()) {
    const link = await readSymlink(walk, path, absolute);
    count(walk, 0);
    walk.files.push(link);
  } else if (entry.isFile()) {
    const { sha256, size } = await hashFile(absolute);
    count(walk, size);
    const mode = (await lstat(absolute)).mode & 0o111 ? 0o755 : 0o644;
    walk.files.push({ path, size, mode, sha256 });
  }
  // Sockets, FIFOs and devices in a working folder are runtime leftovers, not source.
}

async function walkFolder(walk: Walk, parentRules: IgnoreRules, folder: string): Promise<void> {
  const absolute = folder === '' ? walk.root : resolve(walk.root, folder);
  const gitignore = await readOptional(resolve(absolute, '.gitignore'));
  const rules = gitignore === undefined ? parentRules : parentRules.withGitignore(folder, gitignore);
  const entries = await readdir(absolute, { withFileTypes: true });
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  for (const entry of entries) {
    if (alwaysExcluded.has(entry.name)) continue;
    await visit(walk, rules, folder === '' ? entry.name : `${folder}/${entry.name}`, entry);
  }
}

/**
 * Lists the files `helix deploy` sends from `dir`: .gitignore files (root and nested) and
 * the root .helixignore are honoured, node_modules, .git and .helix are never included.
 * Each file carries its posix path, size, mode (exec bit only) and sha256; symlinks are
 * kept as links when they stay inside `dir` and refused otherwise. Sorted by path.
 */
export async function collectFiles(dir: string, options: CollectOptions = {}): Promise<SourceFile[]> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new HelixError('HLX_SOURCE_DIR_INVALID', `${dir} is not a readable directory.`, { dir });
  }
  const helixignore = await readOptional(resolve(root, '.helixignore'));
  const walk: Walk = { root, limits: options.limits, files: [], bytes: 0 };
  await walkFolder(walk, IgnoreRules.root(helixignore, options.ignore), '');
  return walk.files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
