export type * from './builder.ts';
export type * from './context.ts';
export type * from './delivery.ts';
export * from './manifest.ts';
export * from './plugin.ts';
export * from './registry.ts';
export type * from './runtime.ts';
export type * from './secrets.ts';
export type * from './source.ts';
