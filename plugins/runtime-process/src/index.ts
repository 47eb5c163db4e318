export { manifest } from './manifest.ts';
export type { ProcessRuntimeOptions, RestartPolicy } from './options.ts';
export { configSchema } from './options.ts';
export { processRuntime } from './process-runtime.ts';
