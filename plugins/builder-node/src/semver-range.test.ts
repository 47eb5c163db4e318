import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { highestSatisfying, parseRange, parseVersion } from './semver-range.ts';

function matches(range: string, version: string): boolean {
  const parsed = parseRange(range);
  const exact = parseVersion(version);
  assert.ok(parsed, `"${range}" parses`);
  assert.ok(exact, `"${version}" parses`);
  return parsed.test(exact);
}

const published = [
  '16.20.2',
  '18.0.0',
  '18.20.4',
  '20.0.0',
  '20.1.0',
  '20.18.1',
  '22.3.0',
  '22.3.5',
  '22.12.0',
  '23.1.0',
];

function highest(range: string): string | null {
  const parsed = parseRange(range);
  assert.ok(parsed);
  return highestSatisfying(published, parsed);
}

describe('parseRange', () => {
  test('comparators, alone and combined', () => {
    assert.equal(highest('>=18'), '23.1.0');
    assert.equal(highest('>=18 <21'), '20.18.1');
    assert.equal(highest('>= 18.0.0 < 20'), '18.20.4');
    assert.equal(highest('>20'), '23.1.0');
    assert.equal(highest('<=20'), '20.18.1', '"<=20" includes every 20.x');
    assert.equal(highest('<20'), '18.20.4');
    assert.equal(highest('>22.3'), '23.1.0', '">22.3" means 22.4.0 and above');
    assert.ok(!matches('>18.20.4', '18.20.4'));
  });

  test('caret and tilde', () => {
    assert.equal(highest('^20.1'), '20.18.1');
    assert.equal(highest('^20'), '20.18.1');
    assert.equal(highest('~22.3'), '22.3.5');
    assert.equal(highest('~22'), '22.12.0');
    assert.equal(highest('~22.3.1'), '22.3.5');
    assert.ok(!matches('^20.1', '20.0.0'));
    assert.ok(matches('^0.2.3', '0.2.9') && !matches('^0.2.3', '0.3.0'));
    assert.ok(matches('^0.0.3', '0.0.3') && !matches('^0.0.3', '0.0.4'));
  });

  test('x-ranges, partial and exact versions', () => {
    assert.equal(highest('22.x'), '22.12.0');
    assert.equal(highest('22'), '22.12.0');
    assert.equal(highest('22.3.x'), '22.3.5');
    assert.equal(highest('v20.1.0'), '20.1.0');
    assert.equal(highest('=18.0.0'), '18.0.0');
    assert.equal(highest('*'), '23.1.0');
    assert.equal(highest(''), '23.1.0');
    assert.equal(highest('22.3.1'), null);
  });

  test('unions and hyphen ranges', () => {
    assert.equal(highest('20 || 22'), '22.12.0');
    assert.equal(highest('18.x || 20.x'), '20.18.1');
    assert.equal(highest('^18 || ^20.1 <20.2'), '20.1.0');
    assert.equal(highest('18 - 20'), '20.18.1');
    assert.equal(highest('18.0.0 - 20.1.0'), '20.1.0');
  });

  test('forms it does not read give null, versions it cannot read are ignored', () => {
    assert.equal(parseRange('lts/*'), null);
    assert.equal(parseRange('latest'), null);
    assert.equal(parseRange('>=abc'), null);
    const parsed = parseRange('>=18');
    assert.ok(parsed);
    assert.equal(highestSatisfying(['19.0.0-pre', 'junk', '18.1.0'], parsed), '18.1.0');
  });
});
