import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { recordingContext } from './recording-context.ts';

test('lines written in one burst share a turn; lines after I/O get a later one', async () => {
  const buffered = recordingContext();
  for (const text of ['a', 'b', 'c']) buffered.ctx.output('stdout', text);
  assert.deepEqual(new Set(buffered.lines.map((line) => line.turn)).size, 1);

  const streamed = recordingContext();
  streamed.ctx.output('stdout', 'a');
  await nextTurn();
  streamed.ctx.output('stdout', 'b');
  assert.deepEqual(
    streamed.lines.map((line) => line.turn),
    [0, 1],
  );
  assert.equal(streamed.text(), 'a\nb');
});

test('progress is recorded and the controller aborts ctx.signal', () => {
  const recording = recordingContext();
  recording.ctx.progress('installing');
  recording.controller.abort();
  assert.deepEqual(recording.progress, ['installing']);
  assert.equal(recording.ctx.signal.aborted, true);
});
