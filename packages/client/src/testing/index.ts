export type { FakeApi, FakeApiOptions, RecordedRequest } from './fake-api.ts';
export { startFakeApi } from './fake-api.ts';
export type { DeployScript, FakeDeployment, FakeStep } from './fake-deployments.ts';
export { FakeDeployments, failingScript, fakeBaseDomain, readyScript } from './fake-deployments.ts';
export type { FakeAnswer } from './fake-routes.ts';
export { FakeState } from './fake-state.ts';
export { closedPort } from './ports.ts';
export { readyDeployment } from './ready-deployment.ts';
