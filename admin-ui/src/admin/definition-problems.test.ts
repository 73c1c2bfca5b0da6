import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.ts';
import { definitionProblemsOf, itemForPointer, placeProblems, pointerSegments, problemText, type ItemPath } from './definition-problems.ts';

const i18n = createI18n('en');
const t = i18n.t.bind(i18n) as TFunction;
const ja = createI18n('ja');
const tJa = ja.t.bind(ja) as TFunction;

const items: ItemPath[] = [['name'], ['labels', 'en'], ['labels', 'ja'], ['values'], ['target'], ['titleField']];

describe('JSON pointers to form items', () => {
  it('splits a pointer into segments, unescaping ~1 and ~0 and reading indexes as numbers', () => {
    expect(pointerSegments('/values/3/labels/ja')).toEqual(['values', 3, 'labels', 'ja']);
    expect(pointerSegments('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerSegments('')).toEqual([]);
  });

  it('finds the deepest item that starts the pointer', () => {
    expect(itemForPointer('/name', items)).toEqual(['name']);
    expect(itemForPointer('/labels/en', items)).toEqual(['labels', 'en']);
    expect(itemForPointer('/values/1/value', items)).toEqual(['values']);
  });

  it('puts a problem on a group ("needs a label") on the group\'s first item', () => {
    expect(itemForPointer('/labels', items)).toEqual(['labels', 'en']);
  });

  it('finds no item for the root or an unknown place', () => {
    expect(itemForPointer('', items)).toBeUndefined();
    expect(itemForPointer('/fields/2/target', items)).toBeUndefined();
  });

  it('places translated problems on items, says which entry of a list, and keeps the rest for a banner', () => {
    const problems = definitionProblemsOf({
      problems: [
        { path: '/name', code: 'pattern', message: 'must match pattern' },
        { path: '/values/1/value', code: 'required', message: 'is required' },
        { path: '/labels', code: 'minProperties', message: 'needs a label in ja or en' },
        { path: '/fields/0/expression', code: 'unknownFunction', message: 'FOO is not a function' },
        { path: '', code: 'maxDepth', message: 'too deep' },
      ],
    });
    const placed = placeProblems(problems, items, t);
    expect(placed.items).toEqual([
      { name: ['name'], errors: ['Use lower-case letters, digits and _ only, starting with a letter (at most 40 characters).'] },
      { name: ['values'], errors: ['Entry 2: This is required.'] },
      { name: ['labels', 'en'], errors: ['Enter a label in Japanese or English.'] },
    ]);
    expect(placed.rest).toEqual(['/fields/0/expression: Not valid: FOO is not a function', 'Not valid: too deep']);
  });

  it('translates codes, never the server\'s words, into the UI language', () => {
    expect(problemText({ path: '/target', code: 'unknownObject', message: 'no object "x"' }, tJa)).toBe('そのオブジェクトはありません。');
    expect(problemText({ path: '/name', code: 'not', message: 'must NOT be valid' }, t)).toBe('This name is reserved by the platform; choose another.');
  });

  it('reads nothing from details without problems', () => {
    expect(definitionProblemsOf(undefined)).toEqual([]);
    expect(definitionProblemsOf({ problems: [{ nope: 1 }] })).toEqual([]);
  });
});
