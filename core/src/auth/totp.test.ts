import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32, hotp, matchTotp, otpauthUri, totpCode, totpStep } from './totp.ts';

// RFC 6238 appendix B: the seeds are the ASCII digits "1234567890" repeated to the key length of
// each hash; the reference values have 8 digits.
const seeds = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const vectors: Array<[number, string, keyof typeof seeds]> = [
  [59, '94287082', 'sha1'], [59, '46119246', 'sha256'], [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'], [1111111109, '68084774', 'sha256'], [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'], [1111111111, '67062674', 'sha256'], [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'], [1234567890, '91819424', 'sha256'], [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'], [2000000000, '90698825', 'sha256'], [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'], [20000000000, '77737706', 'sha256'], [20000000000, '47863826', 'sha512'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(vectors)('at T=%i gives %s with %s', (seconds, expected, algorithm) => {
    expect(hotp(seeds[algorithm], totpStep(seconds * 1000), 8, algorithm)).toBe(expected);
  });

  it('gives the 6-digit codes of the SHA-1 vectors (their last six digits)', () => {
    expect(totpCode(seeds.sha1, 59_000)).toBe('287082');
    expect(totpCode(seeds.sha1, 1111111109_000)).toBe('081804');
  });

  it('accepts one step of drift either way, and never a code at or before the last used step', () => {
    const at = 1234567890_000;
    const step = totpStep(at);
    expect(matchTotp(seeds.sha1, totpCode(seeds.sha1, at), at, null)).toBe(step);
    expect(matchTotp(seeds.sha1, totpCode(seeds.sha1, at - 30_000), at, null)).toBe(step - 1);
    expect(matchTotp(seeds.sha1, totpCode(seeds.sha1, at + 30_000), at, null)).toBe(step + 1);
    expect(matchTotp(seeds.sha1, totpCode(seeds.sha1, at - 60_000), at, null)).toBeUndefined();
    expect(matchTotp(seeds.sha1, totpCode(seeds.sha1, at + 60_000), at, null)).toBeUndefined();
    expect(matchTotp(seeds.sha1, totpCode(seeds.sha1, at), at, step)).toBeUndefined();
    expect(matchTotp(seeds.sha1, totpCode(seeds.sha1, at - 30_000), at, step - 1)).toBeUndefined();
    expect(matchTotp(seeds.sha1, 'abcdef', at, null)).toBeUndefined();
    expect(matchTotp(seeds.sha1, '1234567', at, null)).toBeUndefined();
  });

  it('round-trips base32 (RFC 4648 test vectors) and builds the otpauth URI', () => {
    expect(encodeBase32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(encodeBase32(Buffer.from('f'))).toBe('MY');
    expect(decodeBase32('MZXW6YTBOI').toString()).toBe('foobar');
    expect(decodeBase32('mzxw 6ytb oi======').toString()).toBe('foobar');
    expect(encodeBase32(seeds.sha1)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(otpauthUri(seeds.sha1, 'Daichō demo', 'a@example.com')).toBe(
      'otpauth://totp/Daich%C5%8D%20demo:a%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Daich%C5%8D+demo&algorithm=SHA1&digits=6&period=30',
    );
  });
});
