export * from './builder/index.ts';
export * from './runtime/conformance.ts';
export * from './runtime/fake-runtime.ts';
export * from './runtime/http-probe.ts';
export * from './runtime/polling.ts';
export * from './runtime/process-app.ts';
export * from './runtime/test-context.ts';
