export * from './client.ts';
export { errorFromFetchFailure, errorFromResponse } from './errors.ts';
export { collect, paginate } from './paginate.ts';
export * from './types.ts';
