import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePluginManifest } from '../manifest/index.ts';
import { describePermission } from './describe-permission.ts';
import { parsePermission } from './parse-permission.ts';
import { matchHttpUrlPattern, permissionCovers } from './permission-covers.ts';

const hooks = ['http.fetch:https://hooks.example.com/*'];

describe('parsePermission', () => {
  it('parses every kind and refuses the rest', () => {
    expect(parsePermission('records.write:deal')).toEqual({ kind: 'records.write', object: 'deal' });
    expect(parsePermission('http.fetch:https://*.example.com/v1/*')).toEqual({ kind: 'http.fetch', pattern: { host: 'example.com', wildcardHost: true, path: '/v1/*' } });
    expect(parsePermission('schedule')).toEqual({ kind: 'schedule' });
    for (const bad of ['records.read:*', 'records.read:', 'http.fetch:https://*/', 'http.fetch:https://example.com', 'http.fetch:https://example.com:443/', 'http.fetch:https://u@example.com/', 'mail', 'kv:x']) {
      expect(parsePermission(bad)).toBeNull();
    }
  });

  it('agrees with the manifest schema', () => {
    const candidate = fc.oneof(
      fc.constantFrom('kv', 'mail.send', 'schedule', 'records.read:deal', 'http.fetch:https://a.example.com/x*'),
      fc.string({ maxLength: 60 }),
      fc.tuple(fc.constantFrom('records.read:', 'records.write:', 'http.fetch:https://', 'http.fetch:'), fc.string({ maxLength: 40 })).map(([a, b]) => a + b),
    );
    fc.assert(fc.property(candidate, (permission) => {
      const manifest = { id: 'acme.xy', version: '1.0.0', publisher: 'acme', displayName: { en: 'X' }, description: { en: 'X' }, engines: { daicho: '*' }, permissions: [permission] };
      expect(validatePluginManifest(manifest).ok).toBe(parsePermission(permission) !== null);
    }), { numRuns: 500 });
  });
});

describe('permissionCovers', () => {
  it('matches records permissions by kind and exact object', () => {
    const granted = ['records.read:acme.hello.greeting', 'records.write:deal'];
    expect(permissionCovers(granted, { kind: 'records.read', object: 'acme.hello.greeting' })).toBe(true);
    expect(permissionCovers(granted, { kind: 'records.write', object: 'acme.hello.greeting' })).toBe(false);
    expect(permissionCovers(granted, { kind: 'records.read', object: 'deal' })).toBe(false);
    expect(permissionCovers(granted, { kind: 'records.write', object: 'deal' })).toBe(true);
    expect(permissionCovers(['kv'], { kind: 'kv' })).toBe(true);
    expect(permissionCovers(['kv'], { kind: 'mail.send' })).toBe(false);
    expect(permissionCovers(['records.read:*'], { kind: 'records.read', object: 'deal' })).toBe(false);
  });

  it.each([
    ['https://hooks.example.com/', true],
    ['https://hooks.example.com/a/b?c=1#d', true],
    ['https://HOOKS.example.com/a', true],
    ['https://hooks.example.com:443/a', true],
    ['http://hooks.example.com/a', false],
    ['https://hooks.example.com:8443/a', false],
    ['https://user:pw@hooks.example.com/a', false],
    ['https://hooks.example.com@evil.test/a', false],
    ['https://hooks.example.com.evil.test/a', false],
    ['https://evil.test/hooks.example.com/a', false],
    ['https://hooks.example.com./a', false],
    ['https://a.hooks.example.com/a', false],
    ['https://evil.test\\@hooks.example.com/a', false],
    ['https://hooks.example.com\\@evil.test/a', false],
    [' https://hooks.example.com/a', false],
    ['not a url', false],
  ])('http %s → %s', (url, expected) => {
    expect(permissionCovers(hooks, { kind: 'http.fetch', url })).toBe(expected);
  });

  it('covers subdomains with *. but never the bare host, and matches paths by prefix pattern', () => {
    const pattern = { host: 'example.com', wildcardHost: true, path: '/v1/*' };
    expect(matchHttpUrlPattern(pattern, 'https://api.example.com/v1/x')).toBe(true);
    expect(matchHttpUrlPattern(pattern, 'https://a.b.example.com/v1/')).toBe(true);
    expect(matchHttpUrlPattern(pattern, 'https://example.com/v1/x')).toBe(false);
    expect(matchHttpUrlPattern(pattern, 'https://badexample.com/v1/x')).toBe(false);
    expect(matchHttpUrlPattern(pattern, 'https://api.example.com/v2/x')).toBe(false);
    expect(matchHttpUrlPattern(pattern, 'https://api.example.com/v1/../v2/x')).toBe(false);
    expect(matchHttpUrlPattern(pattern, 'https://api.example.com/v1/%2e%2e/v2/x')).toBe(false);
    expect(matchHttpUrlPattern(pattern, 'https://api.example.com/v1/..%2Fv2/x')).toBe(false);
    expect(matchHttpUrlPattern(pattern, 'https://api.example.com/v1/a%5c..%5cv2')).toBe(false);
    expect(matchHttpUrlPattern({ host: 'example.com', wildcardHost: false, path: '/exact' }, 'https://example.com/exact/more')).toBe(false);
  });

  // Property: whatever is appended to an allowed URL's host part, the matched host is still checked.
  it('never lets a URL with another host through', () => {
    const label = fc.stringMatching(/^[a-z0-9]{1,10}$/u);
    fc.assert(fc.property(label, label, fc.string({ maxLength: 30 }), (a, b, rest) => {
      const host = `${a}.${b}.test`;
      fc.pre(host !== 'hooks.example.com');
      for (const url of [`https://${host}/${rest}`, `https://hooks.example.com@${host}/${rest}`, `https://${host}#@hooks.example.com/`, `https://${host}?hooks.example.com/`]) {
        expect(permissionCovers(hooks, { kind: 'http.fetch', url })).toBe(false);
      }
    }), { numRuns: 300 });
  });

  it('covers any path under the pattern for the exact host', () => {
    const pathChar = fc.constantFrom(...'abcxyz0129-_.~/'.split(''));
    fc.assert(fc.property(fc.array(pathChar, { maxLength: 30 }).map((chars) => chars.join('')), (path) => {
      const url = `https://hooks.example.com/${path}`;
      const normalised = new URL(url).pathname;
      expect(permissionCovers(hooks, { kind: 'http.fetch', url })).toBe(normalised.startsWith('/'));
    }), { numRuns: 300 });
  });
});

describe('describePermission', () => {
  it('gives readable ja and en text', () => {
    expect(describePermission('records.read:acme.inventory.product', 'en', () => 'Product')).toBe('Read records of Product');
    expect(describePermission('records.read:acme.inventory.product', 'ja', () => '商品')).toBe('「商品」のレコードを参照');
    expect(describePermission('records.write:deal', 'en')).toBe('Create, update and delete records of deal');
    expect(describePermission('http.fetch:https://api.example.com/*', 'en')).toBe('Call https://api.example.com/…');
    expect(describePermission('http.fetch:https://*.example.com/v1/*', 'ja')).toBe('外部サービス https://*.example.com/v1/… を呼び出す');
    expect(describePermission('mail.send', 'ja')).toBe('メールを送信');
    expect(describePermission('kv', 'en')).toBe('Store its own data');
    expect(describePermission('schedule', 'en')).toBe('Run on a schedule');
    expect(describePermission('bogus', 'en')).toBe('bogus');
  });
});
