export { type NodeBuilderOptions, nodeBuilder } from './node-builder.ts';
export {
  type ListNodeVersions,
  nodePackageName,
  registryNodeVersions,
  resolveNodeVersion,
} from './node-versions.ts';
export type { PackageManagerChoice, PackageManagerName } from './package-manager.ts';
export { type NodePlanDetails, nodeBuilderId } from './plan.ts';
export { highestSatisfying, parseRange, parseVersion } from './semver-range.ts';
export type { StartPlan } from './start-command.ts';
