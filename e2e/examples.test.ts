import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  adminToken,
  api,
  deployFolder,
  repoRoot,
  routerPortOf,
  type ServerProcess,
  startServerProcess,
  tempDir,
  viaRouter,
  waitFinal,
} from './harness.ts';

interface Probe {
  path: string;
  contains: string;
}

const examplesDir = join(repoRoot, 'examples');
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Every example deploys through the server and answers its probes through the router. */
describe('every example deploys and answers its probes', () => {
  const data = tempDir('helix-e2e-examples-');
  let server: ServerProcess;
  let token: string;

  before(async () => {
    server = await startServerProcess({ dataDir: data.path, args: ['--router-port', '0'] });
    token = adminToken(data.path);
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    data.remove();
  });

  test('there are examples of each kind', () => {
    assert.ok(examples.length >= 4, examples.join(', '));
  });

  for (const name of examples) {
    test(name, async () => {
      const probes = JSON.parse(readFileSync(join(examplesDir, name, 'probes.json'), 'utf8')) as Probe[];
      await api(server.apiUrl, token, 'POST', '/projects', { name });
      const deployment = await deployFolder(server.apiUrl, token, name, join(examplesDir, name), {
        environment: 'production',
      });
      const final = await waitFinal(server.apiUrl, token, deployment.id, 240_000);
      assert.equal(final.state, 'READY', final.errorMessage);
      for (const probe of probes) {
        const answer = await viaRouter(routerPortOf(server), `${name}.localhost`, probe.path);
        assert.equal(answer.status, 200, `${probe.path}: ${answer.text.slice(0, 200)}`);
        assert.ok(answer.text.includes(probe.contains), `${probe.path} contains ${probe.contains}`);
      }
    });
  }
});
