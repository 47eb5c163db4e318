export * from './client.ts';
export * from './deployment-types.ts';
export { errorFromFetchFailure, errorFromResponse } from './errors.ts';
export { followLogsResuming, type ResumingLogOptions } from './log-resume.ts';
export { parseNdjson } from './ndjson.ts';
export { collect, paginate } from './paginate.ts';
export * from './types.ts';
