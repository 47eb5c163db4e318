export { pointBranchAlias, pointProductionAlias } from './aliases.ts';
export { lockDataDir } from './dir-lock.ts';
export { isUniqueViolation, sqlState } from './errors.ts';
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
