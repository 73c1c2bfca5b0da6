import { describe, expect, it } from 'vitest';
import { canonicalIpAddress, ipInRanges, parseIpAddress, parseIpRange, parseIpRangeList } from './ip-ranges.ts';

describe('IP ranges', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:a00:1', '10.0.0.1'],
    ['[::ffff:10.0.0.1]', '10.0.0.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::1', '::1'],
    ['::', '::'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1::1', '2001:0:0:1::1'],
    ['64:ff9b::10.0.0.1', '64:ff9b::a00:1'],
  ])('reads %s as %s', (text, canonical) => {
    expect(canonicalIpAddress(text)).toBe(canonical);
  });

  it.each(['', 'localhost', '10.0.0', '10.0.0.256', '1::2::3', '01.0.0.1', '10.0.0.1/8', 'g::1'])('refuses the address %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it('matches IPv4 ranges against IPv4 and IPv4-mapped IPv6 peers alike', () => {
    const ranges = parseIpRangeList('10.0.0.0/8, 192.168.1.7').ranges;
    expect(ipInRanges('10.200.3.4', ranges)).toBe(true);
    expect(ipInRanges('::ffff:10.200.3.4', ranges)).toBe(true);
    expect(ipInRanges('192.168.1.7', ranges)).toBe(true);
    expect(ipInRanges('192.168.1.8', ranges)).toBe(false);
    expect(ipInRanges('11.0.0.1', ranges)).toBe(false);
    expect(ipInRanges('not an address', ranges)).toBe(false);
  });

  it('matches IPv6 ranges, and an IPv4-mapped range matches IPv4 peers', () => {
    const ranges = parseIpRangeList('2001:db8::/32 ::ffff:172.16.0.0/108').ranges;
    expect(ipInRanges('2001:db8:ffff::1', ranges)).toBe(true);
    expect(ipInRanges('2001:db9::1', ranges)).toBe(false);
    expect(ipInRanges('172.16.5.5', ranges)).toBe(true);
    expect(ipInRanges('172.32.0.1', ranges)).toBe(false);
    expect(ipInRanges('::/0', parseIpRangeList('::/0').ranges)).toBe(false);
    expect(ipInRanges('8.8.8.8', parseIpRangeList('::/0').ranges)).toBe(true);
    expect(ipInRanges('8.8.8.8', parseIpRangeList('0.0.0.0/0').ranges)).toBe(true);
    expect(ipInRanges('2001:db8::1', parseIpRangeList('0.0.0.0/0').ranges)).toBe(false);
  });

  it('clears host bits and refuses bad prefixes', () => {
    expect(ipInRanges('10.9.9.9', [parseIpRange('10.1.2.3/8')!])).toBe(true);
    for (const bad of ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', 'x/8']) expect(parseIpRange(bad)).toBeUndefined();
    expect(parseIpRangeList('10.0.0.0/8, nope, ::1').bad).toEqual(['nope']);
  });
});
