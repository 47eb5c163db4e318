export { type BuilderFixture, builderConformance } from './conformance.ts';
export { directoryBuildCache } from './directory-cache.ts';
export {
  type ExampleAppName,
  type ExampleProbe,
  exampleAppDir,
  exampleAppNames,
  exampleAppProbes,
} from './examples.ts';
export { type FakeBuilder, type FakeBuilderOptions, fakeBuilder } from './fake-builder.ts';
export { type RecordedLine, type RecordingContext, recordingContext } from './recording-context.ts';
export { type SnapshotEntry, snapshotDigest, snapshotTree } from './tree-snapshot.ts';
