import type { PluginManifest, RuntimeCapability } from '@helixstack/sdk';
import { configSchema } from './options.ts';

export const manifest: PluginManifest<'runtime', RuntimeCapability> = {
  id: 'runtime-process',
  kind: 'runtime',
  contractVersion: '1',
  description:
    'Runs process bundles as supervised child processes on this machine: health checks, restarts, logs, limits.',
  configSchema,
  capabilities: ['stop', 'start'],
};
