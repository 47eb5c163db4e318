import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deployments } from '@helixstack/db';
import { drivers } from '@helixstack/db/testing';
import { eq } from 'drizzle-orm';
import { startTestApi, type TestApi } from './testing.ts';

type Event = { type: string; seq?: number; text?: string; state?: string };
const parse = (body: string): Event[] =>
  body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);

for (const driver of drivers) {
  describe(`deployment logs on ${driver}`, () => {
    let api: TestApi;
    let id: string;
    before(async () => {
      api = await startTestApi(driver);
      await api.call('POST', '/v1/projects', { body: { name: 'logged' } });
      const files = await api.upload({ 'index.html': 'x' });
      id = (
        await api.call('POST', '/v1/projects/logged/deployments', {
          body: { source: { type: 'upload', files } },
        })
      ).json().id;
    });
    after(() => api.close());

    test('stored lines come back as NDJSON in order, and resume after a seq', async () => {
      await api.platform.logs.append(id, [
        { source: 'build', stream: 'stdout', text: 'npm ci' },
        { source: 'build', stream: 'stderr', text: 'warning' },
      ]);
      const response = await api.call('GET', `/v1/deployments/${id}/logs`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /application\/x-ndjson/);
      const events = parse(response.body);
      assert.equal(events.at(-1)!.type, 'state', 'the state follows the lines written before it');
      const lines = events.filter((event) => event.type === 'log');
      assert.deepEqual(
        lines.map((line) => line.text),
        ['Deployment queued (preview).', 'npm ci', 'warning'],
      );
      const resumed = parse(
        (await api.call('GET', `/v1/deployments/${id}/logs?after=${lines[1]!.seq}`)).body,
      );
      assert.deepEqual(
        resumed.filter((event) => event.type === 'log').map((line) => line.text),
        ['warning'],
      );
      const onlyBuild = parse((await api.call('GET', `/v1/deployments/${id}/logs?source=build`)).body);
      assert.equal(onlyBuild.filter((event) => event.type === 'log').length, 2);
    });

    test('follow with until=final streams new lines live and ends at the final state', async () => {
      const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
      const response = await fetch(
        `${address}/v1/deployments/${id}/logs?follow=true&until=final&source=runtime`,
        {
          headers: { authorization: `Bearer ${api.ownerToken}` },
        },
      );
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${needle}: ${text}`);
          text += decoder.decode(value);
        }
      };
      await readUntil('"state":"QUEUED"');
      await api.platform.logs.append(id, [{ source: 'runtime', stream: 'stdout', text: 'listening live' }]);
      await readUntil('listening live');
      await api.db.update(deployments).set({ state: 'ERROR' }).where(eq(deployments.id, id));
      await api.platform.logs.append(id, [{ source: 'runtime', stream: 'stdout', text: 'last words' }]);
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        text += decoder.decode(chunk.value);
      const events = parse(text);
      assert.ok(events.some((event) => event.type === 'state' && event.state === 'ERROR'));
      assert.equal(events.filter((event) => event.type === 'log').at(-1)!.text, 'last words');
    });
  });
}
