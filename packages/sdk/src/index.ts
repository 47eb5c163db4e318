export * from './errors.ts';
export * from './names.ts';
