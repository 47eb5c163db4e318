export { type ApiOptions, buildApi } from './app.ts';
export type { Principal } from './auth.ts';
export { type BootstrapResult, bootstrapIdentity } from './bootstrap.ts';
export type { ApiContext } from './context.ts';
export type { Hostnames, Platform } from './platform.ts';
export { SecretBox } from './secret-box.ts';
export { hashToken, issueToken } from './tokens.ts';
export { branchUrl, deploymentUrl, labelUrl } from './urls.ts';
