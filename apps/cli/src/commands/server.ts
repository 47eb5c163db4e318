import { HelixError } from '@helixstack/sdk';
import type { PassthroughCommand } from '../command.ts';

/** Held in a variable so that bundlers leave the server out: it is an optional companion package. */
const serverPackage = '@helixstack/server';

type RunServer = (argv: string[]) => unknown;

async function loadRunServer(): Promise<RunServer> {
  let loaded: unknown;
  try {
    loaded = await import(serverPackage);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new HelixError(
      'HLX_CLI_USAGE',
      `The HelixStack server is not installed: "helix server" needs the ${serverPackage} package beside the CLI.`,
      { cause: (error as Error).message },
    );
  }
  const runServer = (loaded as { runServer?: unknown }).runServer;
  if (typeof runServer !== 'function') {
    throw new HelixError('HLX_CLI_USAGE', `${serverPackage} does not export runServer(argv); update it.`);
  }
  return runServer as RunServer;
}

export const server: PassthroughCommand = {
  summary: 'Run the HelixStack server (options are those of the server; see "helix server --help")',
  usage: 'helix server [server options]',
  async passthrough(argv) {
    const result = await (await loadRunServer())(argv);
    return typeof result === 'number' ? result : undefined;
  },
};
