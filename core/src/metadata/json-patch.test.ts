import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, diffJson } from './json-patch.ts';

describe('diffJson / applyJsonPatch', () => {
  it('applying the diff of two documents to the first gives the second', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (before, after) => {
        expect(applyJsonPatch(before, diffJson(before, after))).toEqual(after);
      }),
      { numRuns: 500 },
    );
  });

  it('gives an empty diff for equal documents and keeps keys with / and ~ addressable', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(diffJson(value, structuredClone(value))).toEqual([]);
      }),
    );
    const before = { 'a/b': { '~c': 1 }, list: [1, 2, 3] };
    const after = { 'a/b': { '~c': 2 }, list: [1] };
    expect(diffJson(before, after)).toEqual([
      { op: 'replace', path: '/a~1b/~0c', value: 2 },
      { op: 'remove', path: '/list/2' },
      { op: 'remove', path: '/list/1' },
    ]);
  });

  it('describes a field added to an object definition as one add', () => {
    const before = { name: 'deal', fields: [{ name: 'title', type: 'text' }] };
    const after = { name: 'deal', fields: [{ name: 'title', type: 'text' }, { name: 'amount', type: 'currency' }] };
    expect(diffJson(before, after)).toEqual([{ op: 'add', path: '/fields/1', value: { name: 'amount', type: 'currency' } }]);
  });
});
