import { describe, expect, it } from 'vitest';
import { grantsCover, missingPermissions, permissionFor, resolveGrant } from './plugin-grants.ts';
import { migrationsBetween } from './plugins.service.ts';
import { createTokenBuckets } from './rate-limiter.ts';

describe('the permission a host call needs', () => {
  it.each([
    ['records.get', ['deal', 'id'], 'records.read:deal'],
    ['records.list', ['deal', {}], 'records.read:deal'],
    ['records.create', ['deal', {}], 'records.write:deal'],
    ['records.update', ['deal', 'id', {}], 'records.write:deal'],
    ['records.delete', ['deal', 'id'], 'records.write:deal'],
    ['http.fetch', ['https://api.example.com/a'], 'http.fetch:https://api.example.com/a'],
    ['mail.send', [{}], 'mail.send'],
    ['kv.get', ['k'], 'kv'],
    ['kv.set', ['k', 1], 'kv'],
    ['kv.delete', ['k'], 'kv'],
    ['settings.get', [], undefined],
  ] as const)('%s needs %s', (method, args, needed) => {
    expect(permissionFor(method, args)).toBe(needed);
  });

  it('matches URLs against granted patterns, never by prefix tricks', () => {
    const granted = ['http.fetch:https://api.example.com/v1/*', 'records.read:deal'];
    expect(grantsCover(granted, 'http.fetch:https://api.example.com/v1/items')).toBe(true);
    expect(grantsCover(granted, 'http.fetch:https://api.example.com.evil.test/v1/items')).toBe(false);
    expect(grantsCover(granted, 'http.fetch:https://api.example.com@evil.test/v1/')).toBe(false);
    expect(grantsCover(granted, 'http.fetch:http://api.example.com/v1/items')).toBe(false);
    expect(grantsCover(granted, 'records.read:deal')).toBe(true);
    expect(grantsCover(granted, 'records.write:deal')).toBe(false);
    expect(grantsCover(granted, 'unknown:x')).toBe(false);
  });

  it('resolves a grant against the manifest: all, a list, or nothing', () => {
    const requested = ['kv', 'mail.send', 'records.read:deal'];
    expect(resolveGrant(requested, 'all')).toEqual(requested);
    expect(resolveGrant(requested, ['kv', 'schedule'])).toEqual(['kv']);
    expect(missingPermissions(requested, resolveGrant(requested, undefined))).toEqual(requested);
  });
});

describe('data migrations between versions', () => {
  it('runs the versions in (from, to], in semver order, once each', () => {
    expect(migrationsBetween(['1.10.0', '1.2.0', '1.0.0', '2.0.0', 'x', '1.2.0'], '1.0.0', '1.10.0')).toEqual(['1.2.0', '1.10.0']);
    expect(migrationsBetween(['1.0.0', '0.9.0'], null, '1.0.0')).toEqual(['0.9.0', '1.0.0']);
  });
});

describe('token buckets', () => {
  it('refuse past the burst, refill with time, and keep plugins apart (row 14)', () => {
    let now = 0;
    const buckets = createTokenBuckets({ capacity: 3, perSecond: 2, now: () => now });
    expect([1, 2, 3, 4].map(() => buckets.take('a'))).toEqual([true, true, true, false]);
    expect(buckets.take('b')).toBe(true);
    now += 500;
    expect(buckets.take('a')).toBe(true);
    expect(buckets.take('a')).toBe(false);
    now += 10_000;
    expect([1, 2, 3, 4].map(() => buckets.take('a'))).toEqual([true, true, true, false]);
  });
});
