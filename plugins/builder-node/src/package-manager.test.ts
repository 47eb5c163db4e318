import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { managerCommand } from './launcher.ts';
import { choosePackageManager, installArguments } from './package-manager.ts';

const files = (...names: string[]): Set<string> => new Set(['package.json', ...names]);

describe('choosePackageManager', () => {
  test('the lockfile names the manager', () => {
    assert.deepEqual(choosePackageManager(files('package-lock.json'), null), {
      name: 'npm',
      version: null,
      from: 'lockfile',
      lockfile: 'package-lock.json',
      note: null,
    });
    assert.equal(
      choosePackageManager(files('npm-shrinkwrap.json', 'package-lock.json'), null).lockfile,
      'npm-shrinkwrap.json',
    );
    assert.equal(choosePackageManager(files('pnpm-lock.yaml'), null).name, 'pnpm');
    assert.equal(choosePackageManager(files('yarn.lock'), null).name, 'yarn');
  });

  test('without a lockfile it is npm, and says why', () => {
    const choice = choosePackageManager(files('index.js'), null);
    assert.equal(choice.name, 'npm');
    assert.equal(choice.from, 'default');
    assert.equal(choice.lockfile, null);
  });

  test('"packageManager" wins over the lockfile and carries the version', () => {
    const choice = choosePackageManager(
      files('package-lock.json', 'pnpm-lock.yaml'),
      'pnpm@9.15.0+sha512.abc',
    );
    assert.deepEqual(
      { name: choice.name, version: choice.version, from: choice.from, lockfile: choice.lockfile },
      { name: 'pnpm', version: '9.15.0', from: 'packageManager', lockfile: 'pnpm-lock.yaml' },
    );
    assert.equal(choosePackageManager(files('yarn.lock'), 'yarn@4.5.0').version, '4.5.0');
  });

  test('an unsupported or malformed "packageManager" is ignored with a note', () => {
    const bun = choosePackageManager(files('yarn.lock'), 'bun@1.1.0');
    assert.equal(bun.name, 'yarn');
    assert.match(bun.note ?? '', /bun@1\.1\.0.*ignored/);
    assert.equal(choosePackageManager(files(), 'pnpm').from, 'default');
  });
});

describe('install commands', () => {
  test('frozen to the lockfile when there is one', () => {
    const npm = choosePackageManager(files('package-lock.json'), null);
    assert.deepEqual(installArguments(npm), ['ci', '--include=dev']);
    assert.deepEqual(installArguments({ ...npm, lockfile: null }), ['install', '--include=dev']);
    assert.deepEqual(installArguments(choosePackageManager(files('pnpm-lock.yaml'), null)), [
      'install',
      '--frozen-lockfile',
    ]);
    assert.deepEqual(installArguments(choosePackageManager(files('yarn.lock'), null)), [
      'install',
      '--frozen-lockfile',
    ]);
    assert.deepEqual(installArguments(choosePackageManager(files('yarn.lock'), 'yarn@4.5.0')), [
      'install',
      '--immutable',
    ]);
  });

  test('pnpm and yarn run through corepack when present, else npx', () => {
    assert.deepEqual(managerCommand('npm', null, '/usr/bin/corepack'), ['npm']);
    assert.deepEqual(managerCommand('pnpm', '9.15.0', '/usr/bin/corepack'), [
      '/usr/bin/corepack',
      'pnpm@9.15.0',
    ]);
    assert.deepEqual(managerCommand('yarn', null, '/usr/bin/corepack'), ['/usr/bin/corepack', 'yarn']);
    assert.deepEqual(managerCommand('pnpm', null, null), ['npx', '--yes', 'pnpm@10']);
    assert.deepEqual(managerCommand('yarn', '1.22.22', null), ['npx', '--yes', 'yarn@1.22.22']);
  });
});
