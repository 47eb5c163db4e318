import { HelixError } from '@helixstack/sdk';
import { defaultBaseDomain, normalizeBaseDomain } from './hostnames.ts';

export interface RouterConfig {
  /** Hostnames are `<label>.<baseDomain>`. HELIX_BASE_DOMAIN, default `localhost`. */
  baseDomain: string;
  /** Port the router listens on. HELIX_ROUTER_PORT, default 8080. */
  port: number;
}

export const defaultRouterPort = 8080;

const baseDomainPattern =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Reads the router settings the server passes in; a bad value fails loudly at start. */
export function routerConfigFromEnv(env: Readonly<Record<string, string | undefined>>): RouterConfig {
  const baseDomain = normalizeBaseDomain(env.HELIX_BASE_DOMAIN || defaultBaseDomain);
  if (!baseDomainPattern.test(baseDomain)) {
    throw new HelixError(
      'HLX_CONFIG',
      `HELIX_BASE_DOMAIN is not a domain name: ${JSON.stringify(baseDomain)}.`,
    );
  }
  const rawPort = env.HELIX_ROUTER_PORT || String(defaultRouterPort);
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 0 || port > 65_535) {
    throw new HelixError('HLX_CONFIG', `HELIX_ROUTER_PORT must be a port number (0-65535), got ${rawPort}.`);
  }
  return { baseDomain, port };
}
