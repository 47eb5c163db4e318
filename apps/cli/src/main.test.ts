import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closedPort, type FakeApi, startFakeApi } from '@helixstack/client/testing';
import packageJson from '../package.json' with { type: 'json' };
import { runHelix, temporaryDir } from './run-helix.ts';

let api: FakeApi;
let configDir: string;

before(async () => {
  api = await startFakeApi();
  configDir = await temporaryDir();
});
after(() => api.close());

describe('helix (dispatch, help, exit codes)', () => {
  test('--version prints the package version; --help lists every command', async () => {
    const version = await runHelix(['--version'], configDir);
    assert.equal(version.code, 0);
    assert.equal(version.stdout, `${packageJson.version}\n`);
    const help = await runHelix(['--help'], configDir);
    assert.equal(help.code, 0);
    for (const line of [
      'login --token <token>',
      'projects rm <name>',
      'env add <KEY> <value>',
      'tokens revoke <id>',
      'deploy [dir]',
      'logs <deployment-id|project>',
      'promote <deployment-id>',
      'rollback [deployment-id]',
      'dev [dir]',
      'server',
    ]) {
      assert.ok(help.stdout.includes(line), `help mentions ${line}`);
    }
  });

  test('<group> --help and <command> --help print usage and exit 0', async () => {
    const group = await runHelix(['env', '--help'], configDir);
    assert.equal(group.code, 0);
    assert.match(group.stdout, /helix env <command>/);
    const command = await runHelix(['env', 'add', '--help'], configDir);
    assert.equal(command.code, 0);
    assert.match(command.stdout, /Usage: helix env add <KEY> <value> \[options\]/);
    assert.match(command.stdout, /--sensitive/);
  });

  test('an unknown flag is a usage error: exit 2, code on stderr, nothing on stdout', async () => {
    const result = await runHelix(['projects', 'ls', '--bogus'], configDir);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Error HLX_CLI_USAGE: Unknown option "--bogus"/);
  });

  test('unknown commands, missing and extra arguments exit 2', async () => {
    for (const args of [
      ['deploy-everything'],
      ['projects', 'frobnicate'],
      ['projects', 'create'],
      ['whoami', 'extra'],
      ['toString'],
    ]) {
      const result = await runHelix(args, configDir);
      assert.equal(result.code, 2, `helix ${args.join(' ')}`);
      assert.match(result.stderr, /^Error HLX_CLI_USAGE: /, `helix ${args.join(' ')}`);
    }
  });

  test('a command with no subcommand prints the group usage on stderr and exits 2', async () => {
    const result = await runHelix(['tokens'], configDir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /tokens create <name>/);
  });

  test('API errors go to stderr as "Error HLX_CODE: message" and exit 1', async () => {
    const env = { HELIX_API_URL: api.url, HELIX_TOKEN: api.ownerToken };
    const result = await runHelix(['projects', 'create', 'Not_A_Label'], configDir, { env });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Error HLX_INVALID_NAME: /);
  });

  test('global options may come before the command', async () => {
    const result = await runHelix(
      ['--json', '--api-url', api.url, '--token', api.ownerToken, 'whoami'],
      configDir,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).org.name, 'acme');
  });

  test('a refused connection is HLX_CLI_UNREACHABLE with exit 1', async () => {
    const port = await closedPort();
    const env = { HELIX_API_URL: `http://127.0.0.1:${port}`, HELIX_TOKEN: 'hlx_any' };
    const result = await runHelix(['projects', 'ls'], configDir, { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`^Error HLX_CLI_UNREACHABLE: .*127\\.0\\.0\\.1:${port}`));
  });

  test('an API URL that is not http(s) is a usage error', async () => {
    const result = await runHelix(['whoami', '--api-url', 'ftp://example'], configDir, {
      env: { HELIX_TOKEN: 'x' },
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /HLX_CLI_USAGE/);
  });
});
