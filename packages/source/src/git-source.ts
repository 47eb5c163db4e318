import { pathToFileURL } from 'node:url';
import { HelixError } from '@helixstack/sdk';

export type GitTransport = 'https' | 'ssh' | 'git' | 'scp' | 'file';

export interface GitSource {
  /** The URL as given (it may carry credentials: show it only through redactUrl). */
  url: string;
  /** A branch or tag name, checked with git's check-ref-format rules. */
  ref: string;
  transport: GitTransport;
  /** What is handed to git: the URL, or a file:// URL for an allowed local path. */
  cloneUrl: string;
}

export interface GitSourcePolicy {
  /** Admin setting: accept file:// URLs and absolute local paths. Off by default. */
  allowLocal?: boolean;
}

const maxUrlLength = 2048;
const maxRefLength = 255;
// Control characters, space and the characters check-ref-format forbids anywhere in a ref.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const forbiddenInRef = /[\x00-\x20\x7f~^:?*[\\]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const controlOrSpace = /[\x00-\x20\x7f]/;
const schemeUrl = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
// git's "<transport>::<address>" form runs a remote helper (ext:: runs any command).
const helperSyntax = /^[A-Za-z][A-Za-z0-9+.-]*::/;
const scpLike = /^(?:([A-Za-z0-9._~+-]+)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(.+)$/;

function badUrl(url: string, why: string): HelixError {
  return new HelixError('HLX_GIT_URL_INVALID', `The git URL ${JSON.stringify(redactUrl(url))} ${why}.`);
}

function badRef(ref: string, why: string): HelixError {
  return new HelixError('HLX_GIT_REF_INVALID', `The git ref ${JSON.stringify(ref)} ${why}.`);
}

/** Hides the password or token of `scheme://user:secret@host` wherever it appears in `text`. */
export function redactUrl(text: string): string {
  return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/\s@]+@/g, '$1***@');
}

/**
 * A branch or tag name as `git check-ref-format` accepts it: no "..", no control
 * characters, space, ~ ^ : ? * [ or \, no "@{", no component starting with "." or
 * ending with ".lock", not ending with "/" or ".". A leading "-" is refused too, so a
 * ref can never read as an option. Characters such as ; $ ( ` are legal in refs: they
 * reach git as data in an argument array and never pass through a shell.
 */
export function validateGitRef(ref: unknown): string {
  if (typeof ref !== 'string' || ref.length === 0) throw badRef(String(ref), 'is empty');
  if (ref.length > maxRefLength) throw badRef(ref.slice(0, 40), `is longer than ${maxRefLength} characters`);
  if (ref.startsWith('-')) throw badRef(ref, 'starts with "-"');
  if (forbiddenInRef.test(ref))
    throw badRef(ref, 'has a space, a control character or one of ~ ^ : ? * [ \\');
  if (ref.includes('..')) throw badRef(ref, 'contains ".."');
  if (ref.includes('@{') || ref === '@') throw badRef(ref, 'contains "@{" or is "@"');
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//'))
    throw badRef(ref, 'has an empty component');
  if (ref.endsWith('.')) throw badRef(ref, 'ends with "."');
  for (const component of ref.split('/')) {
    if (component.startsWith('.')) throw badRef(ref, 'has a component starting with "."');
    if (component.endsWith('.lock')) throw badRef(ref, 'has a component ending with ".lock"');
  }
  return ref;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseSchemeUrl(url: string, scheme: string, policy: GitSourcePolicy): GitSource['transport'] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl(url, 'cannot be parsed');
  }
  if (scheme === 'file') {
    if (!policy.allowLocal) throw badUrl(url, 'is local; local repositories are not allowed on this server');
    if (parsed.host !== '' && parsed.host !== 'localhost')
      throw badUrl(url, 'names a remote host with file://');
    return 'file';
  }
  if (scheme !== 'https' && scheme !== 'ssh' && scheme !== 'git') {
    throw badUrl(url, 'must use https://, ssh://, git:// or user@host:path');
  }
  if (parsed.hostname === '' || parsed.hostname.startsWith('-')) throw badUrl(url, 'has no valid host');
  if (safeDecode(parsed.username).startsWith('-')) throw badUrl(url, 'has a user name starting with "-"');
  return scheme;
}

/**
 * Checks a git source received by the API: https://, ssh://, git:// or scp-like
 * `user@host:path`; file:// and absolute local paths only with `allowLocal`. Anything that
 * git could read as an option (leading "-") or as a remote helper (`ext::`) is refused.
 */
export function parseGitSource(
  input: { url: unknown; ref: unknown },
  policy: GitSourcePolicy = {},
): GitSource {
  const { url } = input;
  if (typeof url !== 'string' || url.length === 0) throw badUrl(String(url), 'is empty');
  if (url.length > maxUrlLength) throw badUrl(url.slice(0, 60), `is longer than ${maxUrlLength} characters`);
  const ref = validateGitRef(input.ref);
  if (url.startsWith('-')) throw badUrl(url, 'starts with "-"');
  if (controlOrSpace.test(url)) throw badUrl(url, 'contains a space or a control character');
  if (helperSyntax.test(url)) throw badUrl(url, 'uses a git remote helper ("transport::address")');
  const scheme = schemeUrl.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    return { url, ref, transport: parseSchemeUrl(url, scheme, policy), cloneUrl: url };
  }
  if (url.startsWith('/')) {
    if (!policy.allowLocal) throw badUrl(url, 'is local; local repositories are not allowed on this server');
    return { url, ref, transport: 'file', cloneUrl: pathToFileURL(url).href };
  }
  const scp = scpLike.exec(url);
  if (scp) {
    const [, user, host, path] = scp;
    if (user?.startsWith('-') || host?.startsWith('-') || path?.startsWith('-')) {
      throw badUrl(url, 'has a part starting with "-"');
    }
    return { url, ref, transport: 'scp', cloneUrl: url };
  }
  throw badUrl(url, 'must use https://, ssh://, git:// or user@host:path');
}
