export * from './contracts/index.ts';
export * from './errors.ts';
export * from './log-ring.ts';
export * from './names.ts';
