/** Org, project and environment names are DNS labels so that they can become hostnames. */
export const dnsLabelPattern = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
export const envKeyPattern = '^[A-Za-z_][A-Za-z0-9_]*$';
export const maxEnvValueBytes = 64 * 1024;

const dnsLabel = new RegExp(dnsLabelPattern);
const envKey = new RegExp(envKeyPattern);

export function isDnsLabel(name: string): boolean {
  return dnsLabel.test(name);
}

export function isEnvKey(key: string): boolean {
  return envKey.test(key);
}
