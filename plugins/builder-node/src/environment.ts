import { tmpdir } from 'node:os';
import { delimiter } from 'node:path';

/**
 * Server variables a build tool may need to reach the registry (proxy, CA, home folder
 * with .npmrc, corepack's registry and keys). Nothing else of the server's environment, which holds its own secrets,
 * reaches a build.
 */
const passedThrough = [
  'PATH',
  'HOME',
  'LANG',
  'TMPDIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'COREPACK_NPM_REGISTRY',
  'COREPACK_INTEGRITY_KEYS',
] as const;

export function toolEnvironment(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: tmpdir(),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  for (const name of passedThrough) {
    const value = process.env[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return env;
}

export interface StepEnvironmentInput {
  /** The deployment's variables; they win over the tool defaults, except PATH which is extended. */
  userEnv: Readonly<Record<string, string>>;
  /** Folders put first on PATH: the selected Node, then the app's node_modules/.bin. */
  pathFirst: readonly string[];
  /** Where corepack keeps the pnpm and yarn versions it downloads. */
  corepackHome: string;
  extra?: Readonly<Record<string, string>>;
}

/** The environment of an install or build step. */
export function stepEnvironment(input: StepEnvironmentInput): Record<string, string> {
  const base = toolEnvironment();
  const env: Record<string, string> = {
    ...base,
    COREPACK_HOME: input.corepackHome,
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    COREPACK_ENABLE_AUTO_PIN: '0',
    // Yarn 2+ would otherwise install Plug'n'Play files instead of a cacheable node_modules.
    YARN_NODE_LINKER: 'node-modules',
    ...input.userEnv,
    ...input.extra,
  };
  env.PATH = [...input.pathFirst, input.userEnv.PATH ?? base.PATH].join(delimiter);
  return env;
}
