export * from './deployment-states.ts';
