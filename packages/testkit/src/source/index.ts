export { type SourceFixture, type SourceTreeFixture, sourceConformance } from './conformance.ts';
export { type FakeSource, type FakeSourceTrees, fakeSource } from './fake-source.ts';
export { entriesOrNull, readTree } from './read-tree.ts';
