import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeUrl } from './normalize-url.ts';
import { trickyText } from './tricky-text.fixture.ts';

describe('normalizeUrl', () => {
  it.each([
    [' HTTPS://WWW.Example.CO.JP/Path?Q=1#Top ', 'https://www.example.co.jp/Path?Q=1#Top'],
    ['ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／ａｂｏｕｔ', 'https://example.jp/about'],
    ['http://Example.jp:8080', 'http://example.jp:8080'],
    ['www.example.co.jp', 'https://www.example.co.jp'],
    ['Example.jp/Company?id=1', 'https://example.jp/Company?id=1'],
    ['例え.JP/会社概要', 'https://例え.jp/会社概要'],
    ['https://[2001:DB8::1]/', 'https://[2001:db8::1]/'],
  ])('accepts %j as %j', (input, value) => {
    expect(normalizeUrl(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['javascript:alert(1)', 'unsupportedScheme'],
    ['JaVaScRiPt:alert(1)', 'unsupportedScheme'],
    ['data:text/html,<script>alert(1)</script>', 'unsupportedScheme'],
    ['ftp://example.jp/file', 'unsupportedScheme'],
    ['mailto:info@example.jp', 'unsupportedScheme'],
    ['localhost:3000', 'unsupportedScheme'],
    ['https://user:secret@example.jp/', 'credentials'],
    ['https://bank.example@evil.example/', 'credentials'],
    ['https:example.jp', 'invalid'],
    ['https://', 'invalid'],
    ['https://exa mple.jp/', 'invalid'],
    ['https://example.jp/a b', 'invalid'],
    ['not a url', 'invalid'],
    [`https://example.jp/${'a'.repeat(2048)}`, 'tooLong'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(normalizeUrl(input)).toMatchObject({ ok: false, problem });
  });

  it('is idempotent, and what it accepts is an http(s) URL with a lower-case host', () => {
    const urlish = fc.oneof(trickyText, fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.domain());
    fc.assert(
      fc.property(urlish, (input) => {
        const once = normalizeUrl(input);
        expect(normalizeUrl(once.value)).toEqual(once);
        if (once.ok) {
          const url = new URL(once.value);
          expect(['http:', 'https:']).toContain(url.protocol);
          expect(once.value.slice(0, once.value.indexOf(url.pathname === '/' ? url.host : url.host) + url.host.length)).toBe(
            once.value.slice(0, once.value.indexOf(url.host) + url.host.length).toLowerCase(),
          );
        }
      }),
      { numRuns: 1000 },
    );
  });
});
