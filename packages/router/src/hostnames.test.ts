import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDnsLabel } from '@helixstack/sdk';
import {
  branchHost,
  branchLabel,
  branchSlug,
  deploymentHost,
  normalizeHost,
  productionHost,
  shortDeploymentId,
} from './hostnames.ts';

describe('normalizeHost', () => {
  test('lowercases and strips the port and trailing dots', () => {
    assert.equal(normalizeHost('App.LocalHost:8080'), 'app.localhost');
    assert.equal(normalizeHost('app.localhost.'), 'app.localhost');
    assert.equal(normalizeHost('app.localhost.:443'), 'app.localhost');
    assert.equal(normalizeHost('app.localhost'), 'app.localhost');
  });

  test('keeps IPv6 literals whole and maps a missing header to empty', () => {
    assert.equal(normalizeHost('[::1]:8080'), '[::1]');
    assert.equal(normalizeHost('[::1]'), '[::1]');
    assert.equal(normalizeHost(undefined), '');
    assert.equal(normalizeHost(''), '');
  });
});

describe('host naming scheme', () => {
  test('production, deployment and branch hosts on the default base domain', () => {
    assert.equal(productionHost('shop'), 'shop.localhost');
    assert.equal(deploymentHost('shop', 'dpl_01j9z3k4m5abcdefghjkmnpqrs'), 'shop-hjkmnpqrs.localhost');
    assert.equal(branchHost('shop', 'main'), 'shop-git-main.localhost');
  });

  test('a configured base domain is normalized', () => {
    assert.equal(productionHost('shop', '.Apps.Example.com.'), 'shop.apps.example.com');
    assert.equal(branchHost('shop', 'feat/x', 'apps.example.com'), 'shop-git-feat-x.apps.example.com');
  });

  test('deployment hosts of two deployments differ and stay a DNS label', () => {
    const a = deploymentHost('shop', 'dpl_01j9z3k4m5aaaaaaaaaaaaaaaa');
    const b = deploymentHost('shop', 'dpl_01j9z3k4m5aaaaaaaaaaaaaaab');
    assert.notEqual(a, b);
    const long = deploymentHost('p'.repeat(63), 'dpl_01j9z3k4m5abcdefghjkmnpqrs');
    assert.ok(isDnsLabel(long.split('.')[0]!), long);
    assert.equal(shortDeploymentId('dpl_01J9Z3K4M5ABCDEFGHJKMNPQRS'), 'hjkmnpqrs');
  });
});

describe('branchSlug', () => {
  test('lowercases, replaces other characters with "-", collapses and trims', () => {
    assert.equal(branchSlug('Feature/Login_Page'), 'feature-login-page');
    assert.equal(branchSlug('--fix//double--dash--'), 'fix-double-dash');
    assert.equal(branchSlug('ünïcode-ß'), 'n-code');
  });

  test('a branch with no usable character still gets a label', () => {
    const slug = branchSlug('///');
    assert.match(slug, /^[0-9a-f]{6}$/);
    assert.notEqual(slug, branchSlug('___'));
  });

  test('long branches are cut with a hash so that they stay distinct', () => {
    const base = `feature/${'a'.repeat(80)}`;
    const one = branchSlug(`${base}-one`);
    const two = branchSlug(`${base}-two`);
    assert.ok(one.length <= 63 && two.length <= 63);
    assert.notEqual(one, two);
    assert.match(one, /^feature-a+-[0-9a-f]{6}$/);
  });

  test('the whole first label of a branch alias is a DNS label of at most 63 characters', () => {
    for (const project of ['shop', 'p'.repeat(40), 'q'.repeat(63)]) {
      for (const branch of ['main', `release/${'x'.repeat(100)}`, 'a-'.repeat(40)]) {
        const label = branchLabel(project, branch);
        assert.ok(label.length <= 63, `${label} has ${label.length} characters`);
        assert.ok(isDnsLabel(label), label);
      }
    }
    assert.notEqual(branchLabel('q'.repeat(63), 'one'), branchLabel('q'.repeat(63), 'two'));
  });
});
