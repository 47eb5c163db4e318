import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGitSource, redactUrl, validateGitRef } from './git-source.ts';

const urlInvalid = { code: 'HLX_GIT_URL_INVALID' };
const refInvalid = { code: 'HLX_GIT_REF_INVALID' };

describe('parseGitSource: URLs', () => {
  test('accepts https, ssh, git and scp-like remotes', () => {
    const cases: Array<[string, string]> = [
      ['https://github.com/acme/app.git', 'https'],
      ['https://helix:token@git.example.com/acme/app', 'https'],
      ['ssh://git@github.com/acme/app.git', 'ssh'],
      ['git://git.example.com/app.git', 'git'],
      ['git@github.com:acme/app.git', 'scp'],
      ['deploy@[::1]:repos/app.git', 'scp'],
    ];
    for (const [url, transport] of cases) {
      const source = parseGitSource({ url, ref: 'main' });
      assert.equal(source.transport, transport, url);
      assert.equal(source.cloneUrl, url);
    }
  });

  test('local repositories only when the server allows them', () => {
    for (const url of ['file:///srv/repos/app', '/srv/repos/app', 'file://localhost/srv/app']) {
      assert.throws(() => parseGitSource({ url, ref: 'main' }), urlInvalid, url);
    }
    assert.equal(
      parseGitSource({ url: '/srv/repos/app', ref: 'main' }, { allowLocal: true }).cloneUrl,
      'file:///srv/repos/app',
    );
    assert.equal(
      parseGitSource({ url: 'file:///srv/app', ref: 'main' }, { allowLocal: true }).transport,
      'file',
    );
    assert.throws(
      () => parseGitSource({ url: 'file://otherhost/srv/app', ref: 'main' }, { allowLocal: true }),
      urlInvalid,
    );
    assert.throws(() => parseGitSource({ url: './app', ref: 'main' }, { allowLocal: true }), urlInvalid);
  });

  test('refuses other schemes, remote helpers, options and odd characters', () => {
    const refused = [
      '',
      'http://example.com/app.git',
      'ftp://example.com/app.git',
      'ext::sh -c touch% /tmp/pwned',
      'ext::sh',
      'fd::17',
      '-uhttps://example.com/app.git',
      '--upload-pack=touch /tmp/pwned',
      'ssh://-oProxyCommand=touch/app',
      'ssh://%2DoProxyCommand=x@host/app',
      'git@-oProxyCommand=x:app',
      '-oProxyCommand=x:app',
      'git@host:-app',
      'app',
      'https://example.com/app .git',
      'https://example.com/app\n.git',
    ];
    for (const url of refused) assert.throws(() => parseGitSource({ url, ref: 'main' }), urlInvalid, url);
    assert.throws(() => parseGitSource({ url: 42, ref: 'main' }), urlInvalid);
  });

  test('never echoes a credential in its refusal', () => {
    assert.throws(
      () => parseGitSource({ url: 'http://helix:s3cret@example.com/app.git', ref: 'main' }),
      (error: Error) => !error.message.includes('s3cret'),
    );
  });
});

describe('validateGitRef', () => {
  test('accepts branch and tag names, including shell characters git allows', () => {
    for (const ref of [
      'main',
      'feature/login',
      'v1.2.3',
      'release-2024.01',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${IFS} is the point of this ref.
      'main;touch${IFS}/tmp/x',
      '$(id)',
      '`id`',
      'a{b}',
    ]) {
      assert.equal(validateGitRef(ref), ref);
    }
  });

  test('refuses what check-ref-format refuses, and a leading "-"', () => {
    const refused = [
      '',
      '-b',
      '--upload-pack=touch',
      'a..b',
      'a b',
      'a\tb',
      'a\x7f',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[0]',
      'a\\b',
      'x.lock',
      'a/x.lock/b',
      'a/',
      '/a',
      'a//b',
      '.hidden',
      'a/.b',
      'a.',
      '@',
      'a@{1}',
      'r'.repeat(256),
    ];
    for (const ref of refused) assert.throws(() => validateGitRef(ref), refInvalid, JSON.stringify(ref));
    assert.throws(() => validateGitRef(undefined), refInvalid);
  });
});

describe('redactUrl', () => {
  test('hides the userinfo of every URL in a text', () => {
    assert.equal(
      redactUrl("fatal: unable to access 'https://helix:tok3n@host/app/' via ssh://key@host"),
      "fatal: unable to access 'https://***@host/app/' via ssh://***@host",
    );
    assert.equal(redactUrl('git@github.com:acme/app.git'), 'git@github.com:acme/app.git');
  });
});
