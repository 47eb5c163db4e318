import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { HelixError } from '@helixstack/sdk';
import { HelixClient } from './client.ts';
import type { LogEvent, SourceFileEntry } from './deployment-types.ts';
import { followLogsResuming } from './log-resume.ts';
import { collect } from './paginate.ts';
import { type FakeApi, failingScript, readyScript, startFakeApi } from './testing/index.ts';

let api: FakeApi;
let client: HelixClient;

before(async () => {
  api = await startFakeApi();
  api.state.addProject('web');
  client = new HelixClient({ apiUrl: api.url, token: api.ownerToken });
});
after(() => api.close());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Uploads one file's content and returns its manifest entry. */
async function uploaded(path: string, content: string): Promise<SourceFileEntry> {
  const digest = sha256(content);
  await client.putBlob(digest, Buffer.byteLength(content), Readable.from([Buffer.from(content)]));
  return { path, size: Buffer.byteLength(content), mode: 0o644, sha256: digest };
}

async function deploy(environment = 'preview') {
  const files = [await uploaded('index.html', `<h1>${environment}</h1>`)];
  return client.createDeployment('web', { environment, source: { type: 'upload', files } });
}

const texts = (events: LogEvent[]) => events.flatMap((event) => (event.type === 'log' ? [event.text] : []));
const states = (events: LogEvent[]) =>
  events.flatMap((event) => (event.type === 'state' ? [event.state] : []));

describe('HelixClient: sources and blobs', () => {
  test('putBlob streams the bytes with their length; the same blob again answers stored:false', async () => {
    const content = 'hello blob';
    const digest = sha256(content);
    const first = await client.putBlob(digest, content.length, Readable.from([Buffer.from(content)]));
    assert.deepEqual(first, { digest, stored: true });
    const sent = api.requests.at(-1);
    assert.equal(sent?.headers['content-length'], String(content.length));
    assert.equal(sent?.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(sent?.body, Buffer.from(content));
    const again = await client.putBlob(digest, content.length, Readable.from([Buffer.from(content)]));
    assert.equal(again.stored, false);
  });

  test('a blob that does not hash to its digest is refused', async () => {
    const error = await client.putBlob(sha256('a'), 1, Readable.from([Buffer.from('b')])).catch((e) => e);
    assert.ok(error instanceof HelixError);
    assert.equal(error.code, 'HLX_BLOB_DIGEST_MISMATCH');
  });

  test('checkSource names only the blobs the server lacks', async () => {
    const have = await uploaded('a.txt', 'present');
    const lacking = { path: 'b.txt', size: 4, mode: 0o644, sha256: sha256('gone') };
    const check = await client.checkSource([have, lacking]);
    assert.deepEqual(check.missing, [lacking.sha256]);
    assert.match(check.digest, /^[0-9a-f]{64}$/);
  });
});

describe('HelixClient: deployments and logs', () => {
  test('followLogs with until final yields states and lines in order and ends at READY', async () => {
    const deployment = await deploy();
    assert.equal(deployment.state, 'QUEUED');
    const events = await collect(client.followLogs(deployment.id, { follow: true, until: 'final' }));
    // The stream opens with the state of the moment (on a busy machine the fake may have
    // moved on already), then every change in order, ending at READY.
    const all = ['QUEUED', 'BUILDING', 'DEPLOYING', 'READY'];
    const seen = states(events);
    assert.deepEqual(seen, all.slice(all.indexOf(seen[0]!)));
    assert.deepEqual(
      texts(events),
      readyScript(deployment).flatMap((step) => step.log ?? []),
    );
    const seqs = events.flatMap((event) => (event.type === 'log' ? [event.seq] : []));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    assert.equal((await client.getDeployment(deployment.id)).state, 'READY');
  });

  test('without follow the stream ends after the stored lines; after and source filter them', async () => {
    const deployment = await deploy();
    await collect(client.followLogs(deployment.id, { follow: true, until: 'final' }));
    const all = await collect(client.followLogs(deployment.id));
    const lines = all.filter((event) => event.type === 'log');
    const later = await collect(client.followLogs(deployment.id, { after: lines[1]?.seq }));
    assert.deepEqual(texts(later), texts(all).slice(2));
    const system = await collect(client.followLogs(deployment.id, { source: 'system' }));
    assert.deepEqual(texts(system), ['starting 1 instance']);
    assert.equal(api.requests.at(-1)?.query.get('source'), 'system');
  });

  test('a connection cut mid-stream throws HLX_CLI_UNREACHABLE', async () => {
    const deployment = await deploy();
    api.state.logStreamDrops.push(2);
    const error = await collect(client.followLogs(deployment.id, { follow: true, until: 'final' })).catch(
      (e) => e,
    );
    assert.ok(error instanceof HelixError, String(error));
    assert.equal(error.code, 'HLX_CLI_UNREACHABLE');
  });

  test('followLogsResuming reconnects after the last seq: every line once, in order', async () => {
    const deployment = await deploy();
    api.state.logStreamDrops.push(1, 2);
    const start = api.requests.length;
    const reconnects: number[] = [];
    const events = await collect(
      followLogsResuming(client, deployment.id, {
        follow: true,
        until: 'final',
        retryDelayMs: 1,
        onReconnect: (_error, attempt) => reconnects.push(attempt),
      }),
    );
    assert.deepEqual(
      texts(events),
      readyScript(deployment).flatMap((step) => step.log ?? []),
    );
    assert.equal(states(events).at(-1), 'READY');
    assert.deepEqual(reconnects, [1, 1]);
    const afters = api.requests.slice(start).map((request) => request.query.get('after'));
    assert.equal(afters[0], null);
    assert.ok(Number(afters[1]) > 0 && Number(afters[2]) > Number(afters[1]), afters.join(','));
  });

  test('a silent stream is cut after idleTimeoutMs', async () => {
    const silent = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/x-ndjson' }),
    );
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const quiet = new HelixClient({ apiUrl: url, token: 'hlx_t' });
      const error = await collect(quiet.followLogs('dpl_1', { follow: true, idleTimeoutMs: 50 })).catch(
        (e) => e,
      );
      assert.ok(error instanceof HelixError);
      assert.equal(error.code, 'HLX_CLI_UNREACHABLE');
      assert.match(error.message, /silent/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  test('a failed build ends in ERROR with its message; listDeployments is newest first', async () => {
    api.state.deployments.script = failingScript('Build failed: missing script "build"');
    try {
      const deployment = await deploy();
      const events = await collect(client.followLogs(deployment.id, { follow: true, until: 'final' }));
      assert.equal(states(events).at(-1), 'ERROR');
      const failed = await client.getDeployment(deployment.id);
      assert.equal(failed.errorMessage, 'Build failed: missing script "build"');
      const page = await client.listDeployments('web', { limit: 2 });
      assert.equal(page.items[0]?.id, deployment.id);
    } finally {
      api.state.deployments.script = readyScript;
    }
  });

  test('promote moves production to a READY deployment; rollback goes back to the previous one', async () => {
    const first = await deploy('production');
    await collect(client.followLogs(first.id, { follow: true, until: 'final' }));
    const second = await deploy('production');
    await collect(client.followLogs(second.id, { follow: true, until: 'final' }));
    assert.equal((await client.getProject('web')).productionDeploymentId, second.id);
    assert.equal(
      (await client.getDeployment(second.id)).urls.production,
      (await client.getProject('web')).urls.production,
    );

    const back = await client.rollback('web');
    assert.equal(back.production.deploymentId, first.id);
    const forward = await client.promote('web', second.id);
    assert.equal(forward.production.deploymentId, second.id);
    assert.deepEqual(api.requests.at(-1)?.body, { deployment: second.id });

    const queued = await deploy();
    const error = await client.promote('web', queued.id).catch((e) => e);
    assert.equal(error.code, 'HLX_NOT_READY');
  });
});
