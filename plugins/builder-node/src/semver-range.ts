/**
 * A small matcher for the semver ranges people write in "engines.node": exact versions,
 * partial and x-ranges ("22", "22.x", "*"), comparators (">=18 <23"), caret, tilde,
 * hyphen ranges ("18 - 20") and unions ("20 || 22"). Pre-releases are not matched.
 */
export type Version = readonly [number, number, number];

type Operator = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  operator: Operator;
  version: Version;
}
/** One alternative of a union: every comparator must hold. */
type ComparatorSet = Comparator[];

const exactVersion = /^v?(\d+)\.(\d+)\.(\d+)$/;
const partialVersion = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;

export function parseVersion(text: string): Version | null {
  const match = exactVersion.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Parts given before the first wildcard or missing part; [] for "*". */
function partial(text: string): number[] | null {
  const match = partialVersion.exec(text);
  if (!match) return null;
  const parts: number[] = [];
  for (const part of match.slice(1, 4)) {
    if (part === undefined || /^[xX*]$/.test(part)) break;
    parts.push(Number(part));
  }
  return parts;
}

function padded(parts: readonly number[]): Version {
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

/** The first version above everything that matches `parts` ("1.2" -> 1.3.0). */
function bumped(parts: readonly number[]): Version {
  if (parts.length === 1) return [(parts[0] ?? 0) + 1, 0, 0];
  return [parts[0] ?? 0, (parts[1] ?? 0) + 1, 0];
}

function xRange(parts: readonly number[]): Comparator[] {
  if (parts.length === 0) return [];
  if (parts.length === 3) return [{ operator: '=', version: padded(parts) }];
  return [
    { operator: '>=', version: padded(parts) },
    { operator: '<', version: bumped(parts) },
  ];
}

function caret(parts: readonly number[]): Comparator[] {
  if (parts.length === 0) return [];
  const [major = 0, minor = 0, patch = 0] = parts;
  let upper: Version;
  if (major > 0 || parts.length === 1) upper = [major + 1, 0, 0];
  else if (minor > 0 || parts.length === 2) upper = [0, minor + 1, 0];
  else upper = [0, 0, patch + 1];
  return [
    { operator: '>=', version: padded(parts) },
    { operator: '<', version: upper },
  ];
}

function tilde(parts: readonly number[]): Comparator[] {
  if (parts.length === 0) return [];
  const upper = parts.length === 1 ? bumped(parts) : bumped(parts.slice(0, 2));
  return [
    { operator: '>=', version: padded(parts) },
    { operator: '<', version: upper },
  ];
}

function comparator(operator: string, parts: readonly number[]): Comparator[] {
  if (parts.length === 0) return operator === '<' || operator === '>' ? [impossible] : [];
  if (parts.length === 3) return [{ operator: (operator || '=') as Operator, version: padded(parts) }];
  switch (operator) {
    case '>=':
      return [{ operator: '>=', version: padded(parts) }];
    case '>':
      return [{ operator: '>=', version: bumped(parts) }];
    case '<':
      return [{ operator: '<', version: padded(parts) }];
    case '<=':
      return [{ operator: '<', version: bumped(parts) }];
    default:
      return xRange(parts);
  }
}

const impossible: Comparator = { operator: '<', version: [0, 0, 0] };

function parseTerm(term: string): Comparator[] | null {
  const match = /^(\^|~>?|>=|<=|>|<|=)?(.*)$/.exec(term);
  const operator = match?.[1] ?? '';
  const parts = partial(match?.[2] ?? '');
  if (!parts) return null;
  if (operator === '^') return caret(parts);
  if (operator.startsWith('~')) return tilde(parts);
  return comparator(operator, parts);
}

function parseSet(text: string): ComparatorSet | null {
  const normalized = text.trim().replace(/(\^|~>?|>=|<=|>|<|=)\s+/g, '$1');
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(normalized);
  if (hyphen) {
    const low = partial(hyphen[1] ?? '');
    const high = partial(hyphen[2] ?? '');
    if (!low || !high) return null;
    return [...comparator('>=', low), ...comparator('<=', high)];
  }
  if (normalized === '') return [];
  const set: ComparatorSet = [];
  for (const term of normalized.split(/\s+/)) {
    const comparators = parseTerm(term);
    if (!comparators) return null;
    set.push(...comparators);
  }
  return set;
}

export interface VersionRange {
  readonly text: string;
  test(version: Version): boolean;
}

/** Parses a range; null when it is not one of the supported forms. */
export function parseRange(text: string): VersionRange | null {
  const sets: ComparatorSet[] = [];
  for (const alternative of text.split('||')) {
    const set = parseSet(alternative);
    if (!set) return null;
    sets.push(set);
  }
  return { text, test: (version) => sets.some((set) => set.every((c) => holds(c, version))) };
}

function holds(c: Comparator, version: Version): boolean {
  const order = compareVersions(version, c.version);
  switch (c.operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return order === 0;
  }
}

/** The highest of `versions` (exact "x.y.z" strings; others ignored) in the range, or null. */
export function highestSatisfying(versions: readonly string[], range: VersionRange): string | null {
  let best: Version | null = null;
  for (const text of versions) {
    const version = parseVersion(text);
    if (version && range.test(version) && (!best || compareVersions(version, best) > 0)) best = version;
  }
  return best ? best.join('.') : null;
}
