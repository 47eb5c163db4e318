import { createHash } from 'node:crypto';

/** `*.localhost` resolves to loopback without DNS, so it is the default base domain. */
export const defaultBaseDomain = 'localhost';

const maxLabelLength = 63;
const hashLength = 6;

/**
 * The routing key of a Host header: lowercase, without port and trailing dot.
 * IPv6 literals keep their brackets (`[::1]:8080` -> `[::1]`). A missing header gives ''.
 */
export function normalizeHost(raw: string | undefined): string {
  if (raw === undefined) return '';
  if (isNormalHost(raw)) return raw;
  let host = raw.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end === -1 ? host : host.slice(0, end + 1);
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) host = host.slice(0, colon);
  }
  while (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

/** Fast path for the common case: already lowercase, no port, no trailing dot, no spaces. */
function isNormalHost(host: string): boolean {
  const last = host.length - 1;
  if (last < 0 || host.charCodeAt(last) === 46) return false;
  for (let i = 0; i <= last; i++) {
    const code = host.charCodeAt(i);
    if ((code >= 65 && code <= 90) || code === 58 || code === 32 || code === 91) return false;
  }
  return true;
}

/** Normalizes a configured base domain: lowercase, no leading or trailing dots. */
export function normalizeBaseDomain(base: string): string {
  return base
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
}

/** The production alias of a project: `<project>.<base>`. */
export function productionHost(project: string, base = defaultBaseDomain): string {
  return `${project}.${normalizeBaseDomain(base)}`;
}

/**
 * The last characters of a deployment id, enough to tell deployments apart in a URL.
 * Ids end with random characters (see newId), so the tail is the distinctive part.
 */
export function shortDeploymentId(deploymentId: string, length = 9): string {
  const body = deploymentId.slice(deploymentId.indexOf('_') + 1).toLowerCase();
  return slugify(body).slice(-length);
}

/** The immutable URL of one deployment: `<project>-<short id>.<base>`. */
export function deploymentHost(project: string, deploymentId: string, base = defaultBaseDomain): string {
  const short = shortDeploymentId(deploymentId);
  const prefix = trimDashes(project.slice(0, maxLabelLength - short.length - 1));
  return `${prefix}-${short}.${normalizeBaseDomain(base)}`;
}

/**
 * A DNS-safe slug of a git branch of at most `maxLength` characters: lowercase, every
 * character outside [a-z0-9] becomes '-', runs of '-' collapse and none lead or trail.
 * A slug that had to be cut ends with a short hash of the full branch name, so two long
 * branches sharing a prefix still get different hosts.
 */
export function branchSlug(branch: string, maxLength = maxLabelLength): string {
  const slug = slugify(branch.toLowerCase());
  if (slug.length > 0 && slug.length <= maxLength) return slug;
  const hash = shortHash(branch);
  const keep = trimDashes(slug.slice(0, Math.max(0, maxLength - hashLength - 1)));
  return keep.length > 0 ? `${keep}-${hash}` : hash;
}

/** The first label of a branch alias, `<project>-git-<slug>`, never over 63 characters. */
export function branchLabel(project: string, branch: string): string {
  const minimumSlug = hashLength + 2;
  const projectPart = trimDashes(project.slice(0, maxLabelLength - '-git-'.length - minimumSlug));
  const budget = maxLabelLength - projectPart.length - '-git-'.length;
  return `${projectPart}-git-${branchSlug(branch, budget)}`;
}

/** The alias that follows the latest deployment of a branch: `<project>-git-<slug>.<base>`. */
export function branchHost(project: string, branch: string, base = defaultBaseDomain): string {
  return `${branchLabel(project, branch)}.${normalizeBaseDomain(base)}`;
}

function slugify(value: string): string {
  return trimDashes(value.replace(/[^a-z0-9]+/g, '-'));
}

function trimDashes(value: string): string {
  return value.replace(/^-+|-+$/g, '');
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, hashLength);
}
