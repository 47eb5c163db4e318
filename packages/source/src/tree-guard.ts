import { HelixError } from '@helixstack/sdk';
import { ancestorsOf, parentOf } from './paths.ts';

export type TreeEntryKind = 'file' | 'directory' | 'symlink';

/** Linux follows at most 40 links in one lookup; a longer chain is a loop or an attack. */
const maxLinkHops = 40;

function unsafe(path: string, why: string): HelixError {
  return new HelixError('HLX_ARCHIVE_UNSAFE_PATH', `Unsafe entry ${JSON.stringify(path)}: ${why}.`, { path });
}

/**
 * The shape of a tree being built from untrusted entries (an archive or a manifest),
 * checked before anything touches the disk. It refuses an entry below a file or a link
 * (`link -> /tmp` then `link/evil` would write outside), a path given twice, and links
 * whose target leaves the root. Link targets are resolved against the links of the whole
 * tree, component by component as the kernel would, because a lexical check alone is
 * fooled by `a/s -> ..` plus `t -> a/s/../x`.
 */
export class TreeGuard {
  readonly #kinds = new Map<string, TreeEntryKind>();
  readonly #links = new Map<string, string>();

  kindOf(path: string): TreeEntryKind | undefined {
    return this.#kinds.get(path);
  }

  /** Records a canonical path; throws HLX_ARCHIVE_UNSAFE_PATH when it cannot be placed safely. */
  add(path: string, kind: TreeEntryKind, linkTarget?: string): void {
    for (const ancestor of ancestorsOf(path)) {
      const above = this.#kinds.get(ancestor);
      if (above === 'symlink') throw unsafe(path, `goes through the link ${JSON.stringify(ancestor)}`);
      if (above === 'file') throw unsafe(path, `is below the file ${JSON.stringify(ancestor)}`);
    }
    const existing = this.#kinds.get(path);
    if (existing !== undefined && !(existing === 'directory' && kind === 'directory')) {
      throw unsafe(path, 'appears twice');
    }
    if (kind === 'symlink') {
      if (linkTarget === undefined) throw unsafe(path, 'is a link without a target');
      this.#checkTargetSyntax(path, linkTarget);
      // Resolving now catches the simple cases early; checkLinks() redoes it with every link known.
      this.#resolve(path, linkTarget);
      this.#links.set(path, linkTarget);
    }
    for (const ancestor of ancestorsOf(path)) this.#kinds.set(ancestor, 'directory');
    this.#kinds.set(path, kind);
  }

  /** Re-resolves every link once the whole tree is known; call before creating links on disk. */
  checkLinks(): void {
    for (const [path, target] of this.#links) this.#resolve(path, target);
  }

  /** Links in the order they were added. */
  links(): Array<{ path: string; target: string }> {
    return [...this.#links].map(([path, target]) => ({ path, target }));
  }

  #checkTargetSyntax(path: string, target: string): void {
    if (target.length === 0) throw unsafe(path, 'is a link with an empty target');
    if (target.includes('\0')) throw unsafe(path, 'is a link whose target has a NUL byte');
    if (target.startsWith('/') || /^[A-Za-z]:/.test(target)) throw unsafe(path, 'links to an absolute path');
    if (target.includes('\\')) throw unsafe(path, 'links with a backslash in its target');
  }

  /** Follows `target` from the link's folder through the tree's links; throws once it leaves the root. */
  #resolve(path: string, target: string): void {
    const hops = { count: 0 };
    const start = parentOf(path);
    this.#walk(path, start === '' ? [] : start.split('/'), target, hops);
  }

  #walk(origin: string, base: string[], relative: string, hops: { count: number }): string[] {
    let stack = [...base];
    for (const segment of relative.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (stack.length === 0) throw unsafe(origin, 'is a link that points outside the upload');
        stack.pop();
        continue;
      }
      stack.push(segment);
      const next = this.#links.get(stack.join('/'));
      if (next === undefined) continue;
      hops.count += 1;
      if (hops.count > maxLinkHops) throw unsafe(origin, 'is part of a link loop');
      stack.pop();
      stack = this.#walk(origin, stack, next, hops);
    }
    return stack;
  }
}
