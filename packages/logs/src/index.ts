export {
  type LogSource,
  LogStore,
  type LogStream,
  type NewLogLine,
  type StoredLogLine,
} from './log-store.ts';
