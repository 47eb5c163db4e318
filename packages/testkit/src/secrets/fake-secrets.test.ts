import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingContext } from '../builder/recording-context.ts';
import { secretsConformance } from './conformance.ts';
import { fakeSecrets } from './fake-secrets.ts';

secretsConformance('fakeSecrets', () => fakeSecrets());

secretsConformance('fakeSecrets without list and versions', () => fakeSecrets({ capabilities: [] }));

test('the fake forgets the history of a deleted name', async () => {
  const secrets = fakeSecrets();
  const { ctx } = recordingContext();
  const scope = ctx.scope;
  await secrets.put(ctx, scope, { TOKEN: 'one' });
  await secrets.put(ctx, scope, { TOKEN: 'two' });
  assert.deepEqual(
    (await secrets.versions!(ctx, scope, 'TOKEN')).map((entry) => entry.version),
    ['2', '1'],
  );
  await secrets.delete(ctx, scope, ['TOKEN']);
  assert.deepEqual(await secrets.versions!(ctx, scope, 'TOKEN'), []);
  await secrets.put(ctx, scope, { TOKEN: 'three' });
  assert.deepEqual(await secrets.get(ctx, scope, ['TOKEN']), { TOKEN: 'three' });
  assert.equal((await secrets.versions!(ctx, scope, 'TOKEN')).length, 1);
});
