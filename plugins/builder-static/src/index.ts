export { blockedFolder } from './blocked-folder.ts';
export { type CopyTreeOptions, copyTree } from './copy-tree.ts';
export { packageStaticSite, staticBuilder, staticBuilderId } from './static-builder.ts';
export { sha256File, type TreeDigestOptions, treeDigest } from './tree-digest.ts';
export { type TreeEntry, type WalkOptions, walkTree } from './tree-walk.ts';
export { makeFolderEnterable, makeWorldReadable } from './world-readable.ts';
