export { type BlobPutOptions, type BlobPutResult, BlobStore } from './blob-store.ts';
export { type CollectOptions, collectFiles } from './collect.ts';
export { type ExtractResult, extractArchive } from './extract.ts';
export { type CloneOptions, cloneArgs, cloneGit } from './git-clone.ts';
export {
  type GitSource,
  type GitSourcePolicy,
  type GitTransport,
  parseGitSource,
  redactUrl,
  validateGitRef,
} from './git-source.ts';
export { alwaysExcluded } from './ignore-rules.ts';
export { defaultUploadLimits, type UploadLimits, uploadLimitsFromEnv } from './limits.ts';
export {
  blobDigests,
  isSha256Digest,
  isSymlinkEntry,
  manifestDigest,
  type SourceBlobFile,
  type SourceFile,
  type SourceSymlink,
  sha256Hex,
  validateManifest,
} from './manifest.ts';
export { packFiles } from './pack.ts';
export { validateRelativePath } from './paths.ts';
export {
  type BlobTransport,
  localBlobTransport,
  planUpload,
  type UploadOptions,
  type UploadPlan,
  type UploadReport,
  uploadMissingBlobs,
} from './upload.ts';
