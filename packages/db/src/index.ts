export { pointBranchAlias, pointProductionAlias } from './aliases.ts';
export { lockDataDir } from './dir-lock.ts';
export { newId } from './ids.ts';
export {
  type Database,
  type DatabaseHandle,
  type Driver,
  type OpenOptions,
  openDatabase,
  rowsOf,
} from './open.ts';
export * from './schema.ts';
