import type { AST } from '@eslint-community/regexpp';

/** A set of code points as sorted, non-overlapping, non-adjacent inclusive ranges. */
export type CharacterSet = readonly (readonly [number, number])[];

const maxCodePoint = 0x10ffff;
export const noCharacters: CharacterSet = [];

const digits: CharacterSet = [[0x30, 0x39]];
const wordCharacters: CharacterSet = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
// What \s matches in JavaScript: WhiteSpace and LineTerminator.
const spaces: CharacterSet = normalize([
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
// What `.` matches without the s flag: everything but line terminators.
const anyButLineTerminators = complement([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]);

// \p{…} sets, computed once per spelling: exact in the Basic Multilingual Plane, and assumed to
// contain every astral code point (an over-approximation: it can only make sets overlap more,
// which makes the safety check stricter, never looser).
const propertySets = new Map<string, CharacterSet>();

/** The code points a single-character element of a pattern (a character, class or escape) matches. */
export function characterSetOf(node: AST.Character | AST.CharacterClass | AST.CharacterSet | AST.CharacterClassRange): CharacterSet {
  switch (node.type) {
    case 'Character':
      return [[node.value, node.value]];
    case 'CharacterClassRange':
      return [[node.min.value, node.max.value]];
    case 'CharacterClass': {
      const members = union(...node.elements.map((element) => (element.type === 'Character' || element.type === 'CharacterClassRange' || element.type === 'CharacterSet' ? characterSetOf(element) : everything())));
      return node.negate ? complement(members) : members;
    }
    case 'CharacterSet':
      if (node.kind === 'any') return anyButLineTerminators;
      if (node.kind === 'property') return propertySet(node.raw);
      return node.negate ? complement(escapeSet(node.kind)) : escapeSet(node.kind);
  }
}

function escapeSet(kind: 'digit' | 'space' | 'word'): CharacterSet {
  return kind === 'digit' ? digits : kind === 'space' ? spaces : wordCharacters;
}

function everything(): CharacterSet {
  return [[0, maxCodePoint]];
}

function propertySet(raw: string): CharacterSet {
  const known = propertySets.get(raw);
  if (known) return known;
  const matcher = new RegExp(`^${raw}$`, 'u');
  const ranges: [number, number][] = [];
  for (let codePoint = 0; codePoint <= 0xffff; codePoint += 1) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    if (!matcher.test(String.fromCharCode(codePoint))) continue;
    const last = ranges.at(-1);
    if (last && last[1] === codePoint - 1) last[1] = codePoint;
    else ranges.push([codePoint, codePoint]);
  }
  ranges.push([0x10000, maxCodePoint]);
  propertySets.set(raw, ranges);
  return ranges;
}

/** The union of sets. */
export function union(...sets: CharacterSet[]): CharacterSet {
  return normalize(sets.flat());
}

/** Whether two sets have a code point in common. */
export function overlaps(a: CharacterSet, b: CharacterSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aLow, aHigh] = a[i]!;
    const [bLow, bHigh] = b[j]!;
    if (aLow <= bHigh && bLow <= aHigh) return true;
    if (aHigh < bHigh) i += 1;
    else j += 1;
  }
  return false;
}

function complement(set: CharacterSet): CharacterSet {
  const result: [number, number][] = [];
  let next = 0;
  for (const [low, high] of set) {
    if (low > next) result.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= maxCodePoint) result.push([next, maxCodePoint]);
  return result;
}

function normalize(ranges: readonly (readonly [number, number])[]): CharacterSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const result: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = result.at(-1);
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else result.push([low, high]);
  }
  return result;
}
