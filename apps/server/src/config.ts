import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { routerConfigFromEnv } from '@helixstack/router';
import { HelixError } from '@helixstack/sdk';

export const serverRoles = ['all', 'api', 'worker', 'router'] as const;
export type ServerRole = (typeof serverRoles)[number];

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  role: ServerRole;
  logLevel: string;
  adminToken: string | undefined;
  secretKey: string | undefined;
  shutdownTimeoutMs: number;
  /** Hostnames are `<label>.<baseDomain>`; `localhost` works without DNS. */
  baseDomain: string;
  routerPort: number;
  /** Lets deployments use file:// and local git sources; for trusted single-user machines. */
  allowLocalSources: boolean;
  /** Longest wait for in-flight requests of a replaced deployment before it stops. */
  drainTimeoutMs: number;
  /** A build whose worker stops heartbeating for this long is given to another worker. */
  jobLeaseMs: number;
}

export const serverUsage = `Usage: helix server [options]

Options (each also read from the environment variable shown):
  --port <n>          HELIX_PORT        API port (default 3000; 0 picks a free one)
  --host <addr>       HELIX_HOST        address to listen on (default 127.0.0.1)
  --data-dir <path>   HELIX_DATA_DIR    embedded database, admin token and keys (default ./.helix-data)
  --role <role>       HELIX_ROLE        all | api | worker | router (default all)
  --log-level <lvl>   HELIX_LOG_LEVEL   fatal | error | warn | info | debug | trace (default info)
  --router-port <n>   HELIX_ROUTER_PORT edge router port (default 8080; 0 picks a free one)
                      HELIX_BASE_DOMAIN apps are served on <name>.<domain> (default localhost)
                      DATABASE_URL      use this Postgres instead of the embedded database
                      HELIX_ADMIN_TOKEN the admin token to create or accept on start
                      HELIX_SECRET_KEY  base64 key (32 bytes) sealing env var values at rest
`;

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new HelixError('HLX_CONFIG', `Invalid port "${value}".`);
  return port;
}

function parseRole(value: string): ServerRole {
  if (!(serverRoles as readonly string[]).includes(value)) {
    throw new HelixError('HLX_CONFIG', `Unknown role "${value}"; use one of ${serverRoles.join(', ')}.`);
  }
  return value as ServerRole;
}

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        role: { type: 'string' },
        'log-level': { type: 'string' },
        'router-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new HelixError('HLX_CONFIG', `${(error as Error).message}\n\n${serverUsage}`);
  }
  const text = (flag: string, name: string) => (values[flag] as string | undefined) ?? env[name] ?? undefined;
  const router = routerConfigFromEnv({
    HELIX_BASE_DOMAIN: env.HELIX_BASE_DOMAIN,
    HELIX_ROUTER_PORT: text('router-port', 'HELIX_ROUTER_PORT'),
  });
  return {
    baseDomain: router.baseDomain,
    routerPort: router.port,
    allowLocalSources: env.HELIX_ALLOW_LOCAL_SOURCES === '1' || env.HELIX_ALLOW_LOCAL_SOURCES === 'true',
    drainTimeoutMs: Number(env.HELIX_DRAIN_TIMEOUT_MS ?? 30_000),
    jobLeaseMs: Number(env.HELIX_JOB_LEASE_MS ?? 30_000),
    host: text('host', 'HELIX_HOST') ?? '127.0.0.1',
    port: parsePort(text('port', 'HELIX_PORT') ?? '3000'),
    dataDir: resolve(text('data-dir', 'HELIX_DATA_DIR') ?? '.helix-data'),
    databaseUrl: env.DATABASE_URL || undefined,
    role: parseRole(text('role', 'HELIX_ROLE') ?? 'all'),
    logLevel: text('log-level', 'HELIX_LOG_LEVEL') ?? 'info',
    adminToken: env.HELIX_ADMIN_TOKEN || undefined,
    secretKey: env.HELIX_SECRET_KEY || undefined,
    shutdownTimeoutMs: Number(env.HELIX_SHUTDOWN_TIMEOUT_MS ?? 15_000),
  };
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
