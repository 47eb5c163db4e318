export { secretsConformance } from './conformance.ts';
export { type FakeSecretsOptions, fakeSecrets } from './fake-secrets.ts';
export { type WatchedContext, watchedContext } from './watched-context.ts';
