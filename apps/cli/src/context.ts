import { HelixClient } from '@helixstack/client';
import { HelixError } from '@helixstack/sdk';
import { stringOption } from './args.ts';
import type { CommandContext, OptionValues } from './command.ts';
import { defaultApiUrl, normalizeApiUrl, readLogin, type StoredLogin } from './config.ts';
import type { Io } from './output.ts';
import { findLink, type ProjectLink } from './project-link.ts';

/**
 * Resolves settings from flags, then the environment, then the stored login. A stored token is
 * only sent to the API URL it was stored for, so pointing HELIX_API_URL elsewhere cannot leak it.
 */
export function createContext(io: Io, options: OptionValues, positionals: string[]): CommandContext {
  let storedLogin: Promise<StoredLogin | undefined> | undefined;
  const login = () => {
    storedLogin ??= readLogin(io.env);
    return storedLogin;
  };

  const apiUrl = async (): Promise<string> => {
    const explicit = stringOption(options, 'api-url') || io.env.HELIX_API_URL;
    if (explicit) return normalizeApiUrl(explicit);
    const stored = await login();
    return stored ? normalizeApiUrl(stored.apiUrl) : defaultApiUrl;
  };

  const token = async (url: string): Promise<string> => {
    const explicit = stringOption(options, 'token') || io.env.HELIX_TOKEN;
    if (explicit) return explicit;
    const stored = await login();
    if (!stored) throw new HelixError('HLX_CLI_NOT_LOGGED_IN');
    if (normalizeApiUrl(stored.apiUrl) !== url) {
      throw new HelixError(
        'HLX_CLI_NOT_LOGGED_IN',
        `The stored login is for ${stored.apiUrl}, not ${url}: run "helix login --api-url ${url} --token <token>" or set HELIX_TOKEN.`,
      );
    }
    return stored.token;
  };

  const link = async (dir: string): Promise<ProjectLink | undefined> => {
    const found = await findLink(dir);
    if (!found) return undefined;
    const url = await apiUrl();
    if (normalizeApiUrl(found.link.apiUrl) !== url) {
      throw new HelixError(
        'HLX_CLI_NOT_LINKED',
        `${found.path} links project "${found.link.projectName}" on ${found.link.apiUrl}, not on ${url}: run "helix link" or pass --project.`,
      );
    }
    return found.link;
  };

  return {
    io,
    json: options.json === true,
    positionals,
    options,
    apiUrl,
    client: async () => {
      const url = await apiUrl();
      return new HelixClient({ apiUrl: url, token: await token(url) });
    },
    link,
    project: async (fromDir = io.cwd) => {
      const flag = stringOption(options, 'project');
      if (flag) return flag;
      const found = await link(fromDir);
      if (!found) throw new HelixError('HLX_CLI_NOT_LINKED');
      return found.projectId;
    },
  };
}
