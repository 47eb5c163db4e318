import ignore, { type Ignore } from 'ignore';

/** Never packed, at any depth, whatever the ignore files say. */
export const alwaysExcluded: ReadonlySet<string> = new Set(['node_modules', '.git', '.helix']);

interface RuleSet {
  /** Folder the rules belong to, relative to the source root ('' for the root). */
  base: string;
  rules: Ignore;
}

/**
 * Ignore files in effect at one folder of the walk, outermost first. As in git, a deeper
 * .gitignore overrides a shallower one (its `!pattern` can re-include a path), and a path
 * inside an ignored folder is never seen because the walk does not enter that folder.
 * .helixignore (root only) is applied last, so it has the final word.
 */
export class IgnoreRules {
  readonly #sets: readonly RuleSet[];
  readonly #finalSet: RuleSet | undefined;

  private constructor(sets: readonly RuleSet[], finalSet: RuleSet | undefined) {
    this.#sets = sets;
    this.#finalSet = finalSet;
  }

  static root(helixignore: string | undefined, extraPatterns: readonly string[] = []): IgnoreRules {
    const patterns = [helixignore ?? '', ...extraPatterns].join('\n');
    const finalSet = patterns.trim() === '' ? undefined : { base: '', rules: compile(patterns) };
    return new IgnoreRules([], finalSet);
  }

  /** The rules for a subfolder that has a .gitignore of its own. */
  withGitignore(base: string, content: string): IgnoreRules {
    return new IgnoreRules([...this.#sets, { base, rules: compile(content) }], this.#finalSet);
  }

  /** `path` is relative to the source root; folders are tested with a trailing slash, as git does. */
  ignores(path: string, isDirectory: boolean): boolean {
    const sets = this.#finalSet ? [...this.#sets, this.#finalSet] : this.#sets;
    let ignored = false;
    for (const { base, rules } of sets) {
      const relative = base === '' ? path : path.slice(base.length + 1);
      const result = rules.test(isDirectory ? `${relative}/` : relative);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

function compile(content: string): Ignore {
  // allowRelativePaths: legal names such as "..." would otherwise make `ignore` throw.
  return ignore({ allowRelativePaths: true }).add(content);
}
