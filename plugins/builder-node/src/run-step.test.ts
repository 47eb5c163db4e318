import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { recordingContext } from '@helixstack/testkit';
import { runStep } from './run-step.ts';

const node = (code: string): string[] => [process.execPath, '-e', code];
const base = { cwd: tmpdir(), env: { PATH: '/usr/bin:/bin' } };

test('stdout and stderr arrive as lines on their streams, after the command line', async () => {
  const recording = recordingContext();
  await runStep(recording.ctx, {
    ...base,
    label: 'build',
    argv: node("console.log('one\\ntwo'); console.error('warn'); process.stdout.write('tail')"),
  });
  const lines = recording.lines.map((line) => `${line.stream}:${line.text}`);
  assert.match(lines[0] ?? '', /^system:\$ .*node -e/);
  assert.deepEqual(lines.slice(1).sort(), ['stderr:warn', 'stdout:one', 'stdout:tail', 'stdout:two']);
});

test('a command that is not installed fails once with HLX_BUILD_FAILED naming it', async () => {
  const recording = recordingContext();
  await assert.rejects(
    runStep(recording.ctx, { ...base, label: 'install', argv: ['helix-no-such-tool', 'install'] }),
    (error: Error & { code?: string }) =>
      error.code === 'HLX_BUILD_FAILED' && /helix-no-such-tool was not found on PATH/.test(error.message),
  );
  assert.equal(recording.lines.filter((line) => line.text.startsWith('could not start')).length, 1);
});

test('the timeout stops a step and says so', async () => {
  const recording = recordingContext();
  await assert.rejects(
    runStep(recording.ctx, {
      ...base,
      label: 'install',
      argv: node('setInterval(() => {}, 1000)'),
      timeoutMs: 200,
    }),
    (error: Error & { code?: string }) =>
      error.code === 'HLX_BUILD_FAILED' && /was stopped after/.test(error.message),
  );
});

test('an already aborted signal starts nothing', async () => {
  const recording = recordingContext();
  recording.controller.abort();
  await assert.rejects(runStep(recording.ctx, { ...base, label: 'build', argv: node('') }), {
    name: 'AbortError',
  });
  assert.equal(recording.lines.length, 0);
});
