import type { HelixClient } from '../client.ts';
import type { Deployment } from '../deployment-types.ts';
import { collect } from '../paginate.ts';

/** A deployment of a git source to the fake API, waited for until it is final. */
export async function readyDeployment(
  client: HelixClient,
  project: string,
  environment = 'preview',
): Promise<Deployment> {
  const source = { type: 'git' as const, url: `https://example.com/${project}.git`, ref: 'main' };
  const created = await client.createDeployment(project, { environment, source });
  await collect(client.followLogs(created.id, { follow: true, until: 'final' }));
  return client.getDeployment(created.id);
}
