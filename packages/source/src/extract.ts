import { constants } from 'node:fs';
import { type FileHandle, link, mkdir, open, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finished, type Readable } from 'node:stream';
import { HelixError } from '@helixstack/sdk';
import tar, { type Extract } from 'tar-stream';
import { prepareDestination } from './destination.ts';
import { tooLargeError, tooManyFilesError, type UploadLimits } from './limits.ts';
import { validateRelativePath } from './paths.ts';
import { TreeGuard } from './tree-guard.ts';

/** One entry of the archive being read: its header and a stream of its content. */
type TarEntry = Extract extends AsyncIterable<infer Entry> ? Entry : never;

export interface ExtractResult {
  /** Files and links written (folders not counted). */
  files: number;
  /** Bytes of file content written. */
  bytes: number;
}

interface Extraction {
  destDir: string;
  limits: UploadLimits;
  guard: TreeGuard;
  entries: number;
  files: number;
  bytes: number;
}

/** O_EXCL and O_NOFOLLOW: a file is only ever created, never written through an existing name. */
const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function unsupported(path: string, type: string): HelixError {
  return new HelixError(
    'HLX_ARCHIVE_UNSUPPORTED_ENTRY',
    `The entry ${JSON.stringify(path)} is a ${type}; only files, folders and links are accepted.`,
    { path, type },
  );
}

async function writeFileEntry(run: Extraction, path: string, entry: TarEntry): Promise<void> {
  const declared = entry.header.size ?? 0;
  // Refusing on the declared size stops a huge entry before its first byte reaches the disk.
  if (run.bytes + declared > run.limits.maxBytes) throw tooLargeError(run.limits);
  const target = join(run.destDir, path);
  await mkdir(dirname(target), { recursive: true });
  const mode = (entry.header.mode ?? 0) & 0o111 ? 0o755 : 0o644;
  const handle: FileHandle = await open(target, createFlags, mode);
  try {
    for await (const data of entry) {
      const chunk = data as Buffer;
      run.bytes += chunk.length;
      if (run.bytes > run.limits.maxBytes) throw tooLargeError(run.limits);
      await handle.write(chunk);
    }
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

async function extractEntry(run: Extraction, entry: TarEntry): Promise<void> {
  const { header } = entry;
  // `tar -C dir .` starts with an entry for the root itself: nothing to create.
  if (header.type === 'directory' && /^\.(\/+\.?)*$/.test(header.name)) return;
  const path = validateRelativePath(header.name);
  run.entries += 1;
  if (run.entries > run.limits.maxFiles) throw tooManyFilesError(run.limits);
  // Only files carry content; anything another entry type carries is skipped, never stored.
  if (header.type !== 'file' && header.type !== 'contiguous-file') entry.resume();
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      run.guard.add(path, 'file');
      await writeFileEntry(run, path, entry);
      run.files += 1;
      return;
    case 'directory':
      run.guard.add(path, 'directory');
      await mkdir(join(run.destDir, path), { recursive: true, mode: 0o755 });
      return;
    case 'symlink':
      // Links are created last, once every link of the archive is known and checked.
      run.guard.add(path, 'symlink', header.linkname ?? '');
      run.files += 1;
      return;
    case 'link': {
      const target = validateRelativePath(header.linkname ?? '');
      if (run.guard.kindOf(target) !== 'file') {
        throw new HelixError(
          'HLX_ARCHIVE_UNSAFE_PATH',
          `The hardlink ${JSON.stringify(path)} must point to a file extracted before it, not ${JSON.stringify(target)}.`,
          { path, target },
        );
      }
      run.guard.add(path, 'file');
      await mkdir(dirname(join(run.destDir, path)), { recursive: true });
      await link(join(run.destDir, target), join(run.destDir, path));
      run.files += 1;
      return;
    }
    default:
      throw unsupported(path, String(header.type ?? 'entry of unknown type'));
  }
}

/**
 * Feeds the upload into the parser with backpressure. Resolves with the upload's own error,
 * if any. Once `stopped` is aborted it detaches and leaves the upload paused, unread.
 */
function feed(source: Readable, extract: Extract, stopped: AbortSignal): Promise<unknown> {
  return new Promise((settle) => {
    const resume = (): void => {
      if (!stopped.aborted) source.resume();
    };
    const onData = (chunk: Buffer): void => {
      if (!extract.write(chunk)) {
        source.pause();
        extract.once('drain', resume);
      }
    };
    const detach = (): void => {
      source.pause();
      source.off('data', onData);
      stopFinished();
      stopped.removeEventListener('abort', onStop);
    };
    const onStop = (): void => {
      detach();
      settle(undefined);
    };
    const stopFinished = finished(source, (error) => {
      detach();
      if (error) extract.destroy(error);
      else extract.end(undefined);
      settle(error ?? undefined);
    });
    stopped.addEventListener('abort', onStop, { once: true });
    source.on('data', onData);
  });
}

/**
 * Extracts an uploaded tar into `destDir` (new or empty), refusing anything that could
 * write outside it or create something other than files, folders and links: unsafe paths
 * (HLX_ARCHIVE_UNSAFE_PATH), devices and FIFOs (HLX_ARCHIVE_UNSUPPORTED_ENTRY), links out of
 * the tree, hardlinks to anything not extracted before, entries through a link. Limits are
 * enforced while streaming: the upload stops being read as soon as the total passes
 * `limits.maxBytes` or the entries pass `limits.maxFiles` (HLX_ARCHIVE_TOO_LARGE / _MANY_FILES).
 * On any refusal the partial `destDir` is removed, and `stream` is left paused and unread:
 * the caller answers (413, 400) and closes the connection rather than draining the rest.
 */
export async function extractArchive(
  stream: Readable,
  destDir: string,
  limits: UploadLimits,
): Promise<ExtractResult> {
  await prepareDestination(destDir);
  const run: Extraction = { destDir, limits, guard: new TreeGuard(), entries: 0, files: 0, bytes: 0 };
  const extract = tar.extract();
  let parserError: unknown;
  extract.on('error', (error) => {
    parserError = error;
  });
  const stop = new AbortController();
  const feeding = feed(stream, extract, stop.signal);
  try {
    for await (const entry of extract) await extractEntry(run, entry);
    const sourceError = await feeding;
    if (sourceError !== undefined) throw sourceError;
    run.guard.checkLinks();
    for (const { path, target } of run.guard.links()) {
      await mkdir(dirname(join(destDir, path)), { recursive: true });
      await symlink(target, join(destDir, path));
    }
    return { files: run.files, bytes: run.bytes };
  } catch (error) {
    // Stop reading the upload at once: a huge or hostile body is not drained.
    stop.abort();
    extract.destroy();
    const sourceError = await feeding;
    await rm(destDir, { recursive: true, force: true });
    throw classify(error, sourceError, parserError);
  }
}

/** Our refusals, the upload's own failure and system errors pass through; the rest means a bad archive. */
function classify(error: unknown, sourceError: unknown, parserError: unknown): unknown {
  if (error instanceof HelixError) return error;
  if (sourceError !== undefined) return sourceError;
  if (typeof (error as NodeJS.ErrnoException).syscall === 'string') return error;
  const reason = ((parserError ?? error) as Error).message;
  return new HelixError('HLX_ARCHIVE_INVALID', `The upload is not a valid tar archive: ${reason}`);
}
