import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HelixError } from '@helixstack/sdk';
import pino from 'pino';
import { loadConfig, serverUsage, wantsHelp } from './config.ts';
import { startServer } from './server.ts';

/** Start failures a user can fix get a code that says so; anything else is internal. */
function asHelixError(error: unknown): HelixError {
  if (error instanceof HelixError) return error;
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  if (code === 'EADDRINUSE') {
    return new HelixError(
      'HLX_CONFIG',
      `Port ${port} is already in use; choose another with --port or --router-port.`,
    );
  }
  if (code === 'EACCES' && port !== undefined) {
    return new HelixError('HLX_CONFIG', `Port ${port} needs privileges; choose one above 1023.`);
  }
  return new HelixError('HLX_INTERNAL', (error as Error).message);
}

function fail(error: unknown): never {
  const helixError = asHelixError(error);
  process.stderr.write(`Error ${helixError.code}: ${helixError.message}\n`);
  process.exit(1);
}

/** `helix server`: starts HelixStack and stops it cleanly on SIGTERM or SIGINT. */
export async function runServer(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(serverUsage);
    return;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(argv);
  } catch (error) {
    fail(error);
  }
  const logger = pino({
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  });
  const server = await startServer(config, logger).catch(fail);
  const tokenPath = server.adminTokenPath ?? join(config.dataDir, 'admin-token');
  process.stdout.write(
    [
      `HelixStack is running (role ${config.role}).`,
      ...(server.apiUrl ? [`  API:         ${server.apiUrl}  (OpenAPI: ${server.apiUrl}/openapi.json)`] : []),
      ...(server.routerUrl ? [`  Apps:        ${server.routerUrl}`] : []),
      ...(server.apiUrl
        ? [
            '  Console:     not included in this version; use the helix CLI or the API',
            `  Admin token: ${config.adminToken ? 'HELIX_ADMIN_TOKEN' : existsSync(tokenPath) ? tokenPath : 'created on first start (file removed)'}`,
          ]
        : []),
      `  Database:    ${config.databaseUrl ? 'Postgres (DATABASE_URL)' : `embedded, in ${config.dataDir}`}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight requests');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    await server.close();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
