import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { recordingContext } from '../builder/recording-context.ts';
import { sourceConformance } from './conformance.ts';
import { fakeSource } from './fake-source.ts';

const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');
const site = { 'index.html': '<h1>hello</h1>\n', 'assets/app.js': 'console.log(1);\n' };
const siteV2 = { 'index.html': '<h1>hello again</h1>\n' };
const trees = { [digestOf('site')]: site, [digestOf('site-v2')]: siteV2 };

sourceConformance('fakeSource', () => fakeSource(trees), {
  spec: { type: 'upload', digest: digestOf('site') },
  files: site,
  other: { spec: { type: 'upload', digest: digestOf('site-v2') }, files: siteV2 },
  missing: { type: 'upload', digest: digestOf('never stored') },
  abortable: true,
});

test('the fake refuses keys that are not digests and counts its fetches', async () => {
  assert.throws(() => fakeSource({ 'not-a-digest': {} }), TypeError);
  const source = fakeSource(trees);
  const spec = { type: 'upload', digest: digestOf('never stored') } as const;
  await assert.rejects(source.fetch(recordingContext().ctx, { spec, dest: '/nonexistent/dest' }), {
    code: 'HLX_SOURCE_INCOMPLETE',
  });
  assert.equal(source.fetches, 1);
});
