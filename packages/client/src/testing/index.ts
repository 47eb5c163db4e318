export type { FakeApi, FakeApiOptions, RecordedRequest } from './fake-api.ts';
export { startFakeApi } from './fake-api.ts';
export type { FakeAnswer } from './fake-routes.ts';
export { FakeState } from './fake-state.ts';
export { closedPort } from './ports.ts';
