import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { drivers } from '@helixstack/db/testing';
import { type TarEntrySpec, tarOf } from '@helixstack/source/testing';
import { startTestApi, type TestApi } from './testing.ts';

for (const driver of drivers) {
  describe(`source intake through the API on ${driver}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(driver);
      await api.call('POST', '/v1/projects', { body: { name: 'site' } });
    });
    after(() => api.close());

    const sendArchive = async (entries: TarEntrySpec[]) =>
      api.app.inject({
        method: 'POST',
        url: '/v1/sources/archive',
        headers: { authorization: `Bearer ${api.ownerToken}`, 'content-type': 'application/x-tar' },
        payload: await tarOf(entries),
      });

    test('unsafe archives are refused and nothing is written outside the work dir', async () => {
      const marker = `helix-escape-${process.pid}-${Date.now()}`;
      const cases: [TarEntrySpec[], string][] = [
        [[{ name: `../../../../tmp/${marker}`, content: 'x' }], 'HLX_ARCHIVE_UNSAFE_PATH'],
        [[{ name: `/tmp/${marker}`, content: 'x' }], 'HLX_ARCHIVE_UNSAFE_PATH'],
        [[{ name: 'out', type: 'symlink', linkname: '/tmp' }], 'HLX_ARCHIVE_UNSAFE_PATH'],
        [[{ name: 'up', type: 'symlink', linkname: '../../..' }], 'HLX_ARCHIVE_UNSAFE_PATH'],
        [[{ name: 'passwd', type: 'link', linkname: '/etc/passwd' }], 'HLX_ARCHIVE_UNSAFE_PATH'],
        [[{ name: 'null', type: 'character-device' }], 'HLX_ARCHIVE_UNSUPPORTED_ENTRY'],
        [[{ name: 'disk', type: 'block-device' }], 'HLX_ARCHIVE_UNSUPPORTED_ENTRY'],
        [[{ name: 'pipe', type: 'fifo' }], 'HLX_ARCHIVE_UNSUPPORTED_ENTRY'],
      ];
      for (const [entries, code] of cases) {
        const response = await sendArchive(entries);
        assert.equal(response.statusCode, 400, JSON.stringify(entries));
        assert.equal(response.json().error.code, code, JSON.stringify(entries));
      }
      assert.equal(existsSync(join(tmpdir(), marker)), false);
      assert.equal(existsSync(join('/tmp', marker)), false);
    });

    test('archives over the size or file-count limit are refused with 413', async () => {
      api.platform.uploadLimits.maxBytes = 1024;
      api.platform.uploadLimits.maxFiles = 5;
      try {
        const big = await sendArchive([{ name: 'big.bin', content: Buffer.alloc(4096, 1) }]);
        assert.equal(big.statusCode, 413);
        assert.equal(big.json().error.code, 'HLX_ARCHIVE_TOO_LARGE');
        const many = await sendArchive(
          Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, content: 'x' })),
        );
        assert.equal(many.statusCode, 413);
        assert.equal(many.json().error.code, 'HLX_ARCHIVE_TOO_MANY_FILES');
        const blob = Buffer.alloc(2048, 2);
        const tooBigBlob = await api.app.inject({
          method: 'PUT',
          url: `/v1/blobs/${createHash('sha256').update(blob).digest('hex')}`,
          headers: { authorization: `Bearer ${api.ownerToken}`, 'content-type': 'application/octet-stream' },
          payload: blob,
        });
        assert.equal(tooBigBlob.statusCode, 413);
      } finally {
        api.platform.uploadLimits.maxBytes = 100 * 1024 * 1024;
        api.platform.uploadLimits.maxFiles = 20_000;
      }
    });

    test('odd but legal names are accepted, and the manifest deploys', async () => {
      const response = await sendArchive([
        { name: 'src/routes/+page.svelte', content: '<h1>page</h1>' },
        { name: 'café/ñ.txt', content: 'unicode' },
        { name: '[slug].tsx', content: 'x' },
        { name: 'index.html', content: '<h1>hi</h1>' },
      ]);
      assert.equal(response.statusCode, 200, response.body);
      const paths = response
        .json()
        .files.map((file: { path: string }) => file.path)
        .sort();
      assert.deepEqual(paths, ['[slug].tsx', 'café/ñ.txt', 'index.html', 'src/routes/+page.svelte']);
      const deployed = await api.call('POST', '/v1/projects/site/deployments', {
        body: { source: { type: 'upload', files: response.json().files } },
      });
      assert.equal(deployed.statusCode, 201, deployed.body);
    });

    test('a blob whose content does not match its digest is refused and not stored', async () => {
      const digest = createHash('sha256').update('expected').digest('hex');
      const response = await api.app.inject({
        method: 'PUT',
        url: `/v1/blobs/${digest}`,
        headers: { authorization: `Bearer ${api.ownerToken}`, 'content-type': 'application/octet-stream' },
        payload: Buffer.from('something else'),
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'HLX_BLOB_DIGEST_MISMATCH');
      const check = await api.call('POST', '/v1/sources/check', {
        body: { files: [{ path: 'a.txt', size: 8, mode: 0o644, sha256: digest }] },
      });
      assert.deepEqual(check.json().missing, [digest]);
    });

    test('content the server has is not asked for again, and blobs do not cross organizations', async () => {
      const files = await api.upload({ 'shared.txt': 'same content' });
      const check = await api.call('POST', '/v1/sources/check', { body: { files } });
      assert.deepEqual(check.json().missing, []);
      const other = (await api.call('POST', '/v1/orgs', { body: { name: 'other-org' } })).json().secret;
      const otherCheck = await api.call('POST', '/v1/sources/check', { token: other, body: { files } });
      assert.deepEqual(otherCheck.json().missing, [files[0]!.sha256]);
    });

    test('git sources: other schemes, option-like URLs and refs are refused; shell syntax is data', async () => {
      api.platform.allowLocalSources = false;
      try {
        const refused: [string, string, string][] = [
          ['file:///etc', 'main', 'HLX_GIT_URL_INVALID'],
          ['/srv/repo', 'main', 'HLX_GIT_URL_INVALID'],
          ['ext::sh -c touch% /tmp/pwned', 'main', 'HLX_GIT_URL_INVALID'],
          ['-uhttps://example.com/a.git', 'main', 'HLX_GIT_URL_INVALID'],
          ['ftp://example.com/a.git', 'main', 'HLX_GIT_URL_INVALID'],
          ['https://example.com/a.git', '-c', 'HLX_GIT_REF_INVALID'],
          ['https://example.com/a.git', '--upload-pack=touch /tmp/x', 'HLX_GIT_REF_INVALID'],
          ['https://example.com/a.git', 'a..b', 'HLX_GIT_REF_INVALID'],
        ];
        for (const [url, ref, code] of refused) {
          const response = await api.call('POST', '/v1/projects/site/deployments', {
            body: { source: { type: 'git', url, ref } },
          });
          assert.equal(response.statusCode, 400, `${url} ${ref}`);
          assert.equal(response.json().error.code, code, `${url} ${ref}`);
        }
        for (const ref of ['main;touch /tmp/x', '$(id)']) {
          const response = await api.call('POST', '/v1/projects/site/deployments', {
            body: { source: { type: 'git', url: 'https://example.com/a.git', ref } },
          });
          // Either refused as a ref, or kept as plain data for git to fail on; never run.
          assert.ok([201, 400].includes(response.statusCode), response.body);
          if (response.statusCode === 201) assert.equal(response.json().source.ref, ref);
        }
      } finally {
        api.platform.allowLocalSources = true;
      }
    });
  });
}
